// Wire types shared with the Rust core (tessera-registry `api`, tessera-layouts).

export interface Interop {
  listens: string[];
  broadcasts: string[];
  intents?: { name: string; contexts: string[] }[];
}

export interface Widget {
  id: string;
  publisher: string;
  title: string;
  version: string;
  tag: string;
  entry: string;
  description: string;
  icon: string | null;
  base_url: string;
  files: Record<string, string>;
  interop: Interop;
  api: boolean;
  revision: number;
  instance: string;
  state: 'online' | 'offline';
  registered_at: string;
  updated_at: string;
  last_seen: string;
}

/** The registry connection as the Rust core follows it. */
export type Link = { state: 'live'; widgets: Widget[] } | { state: 'down'; error: string };

export interface Panel {
  type: 'widget';
  id: string;
  widget: string;
  title: string;
  size?: string;
  state?: unknown;
  channel?: string | null;
}

export interface Container {
  type: 'row' | 'column';
  size?: string;
  content: LayoutNode[];
}

export interface Stack {
  type: 'stack';
  size?: string;
  active?: number;
  content: LayoutNode[];
}

export type LayoutNode = Container | Stack | Panel;

export interface DetachedPanel {
  /** A panel as in the tree, without the node's `type`. */
  panel: Omit<Panel, 'type'>;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutDocument {
  schema: number;
  title: string;
  root: LayoutNode;
  floating: DetachedPanel[];
  popouts: DetachedPanel[];
}

export interface ShellInfo {
  registry_url: string;
  version: string;
  window: string;
  /** A layout to show locked and follow (`--view`). */
  view: string | null;
  /** A link from the command line, to open once the page is up (main window only). */
  opening: OpenRequest | null;
}

/** A link to open: from the command line, or handed over by a later start (`open-link`). */
export type OpenRequest =
  | { kind: 'layout'; id: string; view: boolean; server: string | null; link: string }
  | { kind: 'invitation'; link: string }
  | { kind: 'error'; message: string };

/** What a dockview panel carries: enough to rebuild the layout document. */
export interface PanelParams {
  widget: string;
  state: unknown;
  channel: string | null;
}
