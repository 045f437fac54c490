// Wire types. Those the server defines come from its OpenAPI document
// (src/generated/server.ts, `npm run gen:types`): the Rust core passes the
// registry's and the layouts service's answers on as they are. The Rust
// core's own (command answers, event payloads) are generated from its Rust
// types (src/generated/shell.ts, ts-rs: see shell-core/src/typescript.rs).
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

// --- The Rust core's own types (shell-core): generated from the Rust types ---

export type {
  /** The registry connection as the Rust core follows it (the `catalogue` event). */
  Link,
  /** This window and how the app was started (`shell_info`). */
  ShellInfo,
  /** A link to open: from the command line or a later start (the `open-link` event). */
  OpenRequest,
  /** Who is signed in where (`signin_status`). */
  SignInStatus,
  /** Who a layout can be shared with (`layouts_directory`). */
  Directory,
  /** The unsaved workspace, as the Rust core keeps it on disk. */
  Draft,
  /** What following a layout reports (the `layout-follow` event). */
  Follow as FollowEvent,
  /** Where a pop-out window is and how big, in logical pixels. */
  WindowRect,
  /** The panel a pop-out window holds (also the `dock-panel` event). */
  PopoutPanel,
} from './generated/shell';

// --- The page's own ---

/** What a dockview panel carries: enough to rebuild the layout document (the page's own). */
export interface PanelParams {
  widget: string;
  state: unknown;
  channel: string | null;
}
