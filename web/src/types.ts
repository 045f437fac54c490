// Wire types. Those the server defines come from its OpenAPI document
// (src/generated/server.ts, `npm run gen:types`): the Rust core passes the
// registry's and the layouts service's answers on as they are. The rest are
// the Rust core's own (src-tauri, and its shell-core crate as `core::`), which
// no OpenAPI document describes: they are written here by hand, each saying
// where it comes from.
import type { components } from './generated/server';

type Schemas = components['schemas'];

// --- The registry (tessera-registry `api`) ---

export type Widget = Schemas['Widget'];
export type Interop = Schemas['Interop'];
export type IntentDecl = Schemas['IntentDecl'];

// --- Layout documents (tessera-layouts `model`) ---

export type LayoutDocument = Schemas['LayoutDocument'];
/** One node of the docking tree, by `type`. */
export type LayoutNode = Schemas['Node'];
/** A widget panel in the tree (the `widget` node). */
export type Panel = Extract<LayoutNode, { type: 'widget' }>;
/** A row or a column. */
export type Container = Extract<LayoutNode, { type: 'row' | 'column' }>;
/** Tabs. */
export type Stack = Extract<LayoutNode, { type: 'stack' }>;
/** A panel floating or in a window of its own: the tree's panel without the node's `type`. */
export type DetachedPanel = Schemas['DetachedPanel'];

// --- The layouts service (tessera-layouts `api`) ---

/** What the signed-in user may do with a layout (the server decides). */
export type Access = Schemas['Access'];
export type Visibility = Schemas['Visibility'];
/** A layout without its document, as lists show it. */
export type LayoutSummary = Schemas['LayoutSummary'];
export type LayoutList = Schemas['LayoutList'];
/** A layout with its current document. */
export type Layout = Schemas['Layout'];
/** The answer to a save, rename or version restore. */
export type Saved = Schemas['Saved'];
export type ClonedFrom = Schemas['ClonedFrom'];
export type VersionInfo = Schemas['VersionInfo'];
export type VersionList = Schemas['VersionList'];
/** What changed between two documents. */
export type LayoutDiff = Schemas['LayoutDiff'];
/** What changed between two versions (`GET /v1/layouts/{id}/diff`). */
export type VersionDiff = Schemas['VersionDiff'];
export type Sharing = Schemas['Sharing'];
export type Grant = Schemas['Grant'];
export type ShareAccess = Schemas['ShareAccess'];
export type UserInfo = Schemas['UserInfo'];
export type GroupInfo = Schemas['GroupInfo'];
export type TokenInfo = Schemas['TokenInfo'];
export type TokenList = Schemas['TokenList'];
/** A new token, shown this once. */
export type NewToken = Schemas['NewToken'];
/** The layouts service's refusal body (`current_version` with `stale_version`). */
export type ErrorBody = Schemas['ErrorBody'];

// --- The Rust core's own types: not server types ---

/**
 * The registry connection as the Rust core follows it (`core::follow::Link`,
 * the `catalogue` event): the core's summary, not a server answer.
 */
export type Link = { state: 'live'; widgets: Widget[] } | { state: 'down'; error: string };

/** `commands::ShellInfo`: this window and how the app was started. */
export interface ShellInfo {
  registry_url: string;
  version: string;
  window: string;
  /** A layout to show locked and follow (`--view`). */
  view: string | null;
  /** A link from the command line, to open once the page is up (main window only). */
  opening: OpenRequest | null;
}

/**
 * A link to open: from the command line, or handed over by a later start
 * (`links::OpenRequest`, the `open-link` event).
 */
export type OpenRequest =
  | { kind: 'layout'; id: string; view: boolean; server: string | null; link: string }
  | { kind: 'invitation'; link: string }
  | { kind: 'error'; message: string };

/** `signin::SignInStatus`: who is signed in where (the user is the server's `UserInfo`). */
export interface SignInStatus {
  server: string;
  user: UserInfo | null;
  problem: string | null;
  has_token: boolean;
  reachable: boolean;
  recent: string[];
}

/**
 * Who a layout can be shared with (`layouts_directory`): the core puts three
 * server answers together (`/v1/users/me`, `/v1/users`, `/v1/users/groups`).
 */
export interface Directory {
  me: UserInfo;
  users: UserInfo[];
  groups: GroupInfo[];
}

/** The unsaved workspace, as the Rust core keeps it on disk (`core::drafts::Draft`). */
export interface Draft {
  layout: string | null;
  version: number | null;
  title: string;
  document: LayoutDocument;
  saved_at: string;
}

/** What following a layout reports (`core::layouts::Follow`, the `layout-follow` event). */
export type FollowEvent =
  | { kind: 'version'; version: number; title: string; author: string | null }
  | { kind: 'gone'; reason: string }
  | { kind: 'lost'; error: string };

/** Where a pop-out window is and how big, in logical pixels (`windows::WindowRect`). */
export interface WindowRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The panel a pop-out window holds (`windows::PopoutPanel`, also the `dock-panel` event). */
export interface PopoutPanel {
  panel: string;
  widget: string;
  title: string;
  state: unknown;
  channel: string | null;
}

/** What a dockview panel carries: enough to rebuild the layout document (the page's own). */
export interface PanelParams {
  widget: string;
  state: unknown;
  channel: string | null;
}
