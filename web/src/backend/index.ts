// The one interface the page talks to the Rust core through: every command
// and every IPC event, grouped by area, typed with what each sends and
// answers. `tauri.ts` is its only implementation that reaches the core (and
// the only file importing Tauri's core API); the tests use a fake.
// Request fields are the command's arguments, named as the page sends them
// (Tauri maps `baseVersion` to the Rust `base_version`).
import type { Call, Candidate, Outgoing } from '../generated/bus';
import type { Inspection } from '../inspector';
import type {
  Directory,
  Draft,
  FollowEvent,
  Layout,
  LayoutDocument,
  LayoutList,
  LayoutSummary,
  Link,
  NewToken,
  OpenRequest,
  PopoutPanel,
  Saved,
  ShellInfo,
  Sharing,
  SignInStatus,
  TokenList,
  VersionDiff,
  VersionList,
  WindowRect,
  Widget,
} from '../types';

// --- Requests: one object per command, its fields the command's arguments ---

export type LayoutId = { id: string };
export type ListLayouts = { scope: string; search: string };
export type CreateLayout = { title: string; document: LayoutDocument };
export type SaveLayout = { id: string; baseVersion: number; document: LayoutDocument; message: string | null };
export type RenameLayout = { id: string; baseVersion: number; title: string };
export type CloneLayout = { id: string; title: string | null };
export type SetSharing = { id: string; sharing: Sharing };
export type DiffVersions = { id: string; from: number; to: number };
export type RestoreVersion = { id: string; version: number; baseVersion: number };
export type SaveDraft = { draft: Draft };
export type SetLastLayout = { id: string | null };
export type CreateToken = { label: string };
export type LabelToken = { id: string; label: string };
/** `current`: the token this computer signs in with (revoking it signs out). */
export type RevokeToken = { id: string; current: boolean };
export type SignIn = { server: string; token: string };
export type Invitation = { link: string };
export type OpenLink = { link: string };
export type PopOut = {
  panel: string;
  widget: string;
  title: string;
  state: unknown;
  channel: string | null;
  /** Where the window goes (a saved layout's pop-out); null: where the system puts it. */
  rect: WindowRect | null;
};
export type DockPanel = { state: unknown };
export type RegisterPanel = { panel: string; widget: string; channel: string | null };
export type PanelId = { panel: string };
export type SetChannel = { panel: string; channel: string | null };
export type BusCalls = { calls: Call[] };
export type ResolveIntent = { request: number; choice: Candidate | null };
export type Inspect = { after: number };
export type StartupMark = { what: 'sign-in' | 'first-widget' | 'layout' };
/** A pop-out window moved or was resized (the `popout-rect` event). */
export type PopoutMoved = { panel: string } & WindowRect;
/** The widget in a pop-out saved its state (the `popout-state` event). */
export type PopoutState = { panel: string; state: unknown };

/** Follows an IPC event: `handler` runs on each; resolves once listening. */
export type Subscribe<T> = (handler: (payload: T) => void) => Promise<void>;

export interface Backend {
  /** This window and how the app was started. */
  shell: {
    info(): Promise<ShellInfo>; // shell_info
  };
  /** The registry's widgets. */
  catalogue: {
    list(): Promise<Widget[]>; // list_widgets
    /** Every change of the catalogue or of the registry connection (`catalogue`). */
    follow: Subscribe<Link>;
  };
  /** Layouts on the server, and following one. */
  layouts: {
    /** The demo layout, when the app was started with it. */
    demo(): Promise<LayoutDocument | null>; // demo_layout
    list(r: ListLayouts): Promise<LayoutList>; // layouts_list
    get(r: LayoutId): Promise<Layout>; // layout_get
    create(r: CreateLayout): Promise<Layout>; // layout_create
    /** A new version on top of `baseVersion`; a stale base is refused (`stale_version`). */
    save(r: SaveLayout): Promise<Saved>; // layout_save
    rename(r: RenameLayout): Promise<Saved>; // layout_rename
    clone(r: CloneLayout): Promise<Layout>; // layout_clone
    /** Moves it to the bin. */
    delete(r: LayoutId): Promise<void>; // layout_delete
    /** Takes it back out of the bin. */
    undelete(r: LayoutId): Promise<LayoutSummary>; // layout_undelete
    /** The core follows the layout's saves for this window (`layout-follow` events). */
    follow(r: LayoutId): Promise<void>; // layout_follow
    onFollow: Subscribe<FollowEvent>;
  };
  /** Who may see a layout. */
  sharing: {
    get(r: LayoutId): Promise<Sharing>; // layout_sharing
    set(r: SetSharing): Promise<Sharing>; // layout_set_sharing
    /** The signed-in user, every user and every group. */
    directory(): Promise<Directory>; // layouts_directory
  };
  /** A layout's versions. */
  history: {
    versions(r: LayoutId): Promise<VersionList>; // layout_versions
    diff(r: DiffVersions): Promise<VersionDiff>; // layout_diff
    /** Saves version `version` again as the newest, on top of `baseVersion`. */
    restore(r: RestoreVersion): Promise<Saved>; // layout_restore_version
  };
  /** Unsaved work and the last layout, on this computer's disk. */
  drafts: {
    load(): Promise<Draft | null>; // draft_load
    save(r: SaveDraft): Promise<void>; // draft_save
    clear(): Promise<void>; // draft_clear
    lastLayout(): Promise<string | null>; // last_layout_get
    setLastLayout(r: SetLastLayout): Promise<void>; // last_layout_set
  };
  /** The signed-in user's tokens. */
  tokens: {
    mine(): Promise<TokenList>; // my_tokens
    /** The answer holds the token this once. */
    create(r: CreateToken): Promise<NewToken>; // create_token
    label(r: LabelToken): Promise<void>; // label_token
    revoke(r: RevokeToken): Promise<void>; // revoke_token
  };
  /** Signing in and out: each success starts the app afresh. */
  signIn: {
    status(): Promise<SignInStatus>; // signin_status
    signIn(r: SignIn): Promise<void>; // sign_in
    /** Tessera's own server on this computer. */
    local(): Promise<void>; // sign_in_local
    acceptInvitation(r: Invitation): Promise<void>; // accept_invitation
    signOut(): Promise<void>; // sign_out
  };
  /** Links to layouts. */
  links: {
    /** Opens a link as the OS would (a viewer window of its own). */
    open(r: OpenLink): Promise<void>; // open_link
    /** Links handed over by a later start (`open-link`). */
    onOpen: Subscribe<OpenRequest>;
  };
  /** Panels in windows of their own. */
  popouts: {
    /** Moves a panel into a window of its own; answers the window's label. */
    popOut(r: PopOut): Promise<string>; // popout_panel
    closeAll(): Promise<void>; // close_popouts
    /** In a pop-out window: the panel it holds. */
    info(): Promise<PopoutPanel | null>; // popout_info
    /** In a pop-out window: close it, the panel with it. */
    close(): Promise<void>; // close_popout
    /** In a pop-out window: the panel goes back to the main window. */
    dock(r: DockPanel): Promise<void>; // dock_panel
    /** In a pop-out window: its widget saved its state. */
    saveState(r: DockPanel): Promise<void>; // popout_state
    /** In a pop-out window: ask the main window to open a widget (`open-widget`). */
    openWidget(widget: string): Promise<void>;
    onOpenWidget: Subscribe<string>;
    onDocked: Subscribe<PopoutPanel>; // dock-panel
    onMoved: Subscribe<PopoutMoved>; // popout-rect
    onState: Subscribe<PopoutState>; // popout-state
    /** A pop-out was closed for good (its panel id). */
    onClosed: Subscribe<string>; // popout-closed
  };
  /** The page's side of the bus (the protocol types are bus.ts's). */
  bus: {
    /** This window's bus messages arrive through `onMessages`. */
    attach(onMessages: (msgs: Outgoing[]) => void): Promise<void>; // bus_attach
    calls(r: BusCalls): Promise<Outgoing[]>; // bus_calls
    registerPanel(r: RegisterPanel): Promise<void>; // bus_register_panel
    unregisterPanel(r: PanelId): Promise<void>; // bus_unregister_panel
    setChannel(r: SetChannel): Promise<void>; // bus_set_channel
    resolveIntent(r: ResolveIntent): Promise<void>; // bus_resolve_intent
    inspect(r: Inspect): Promise<Inspection>; // bus_inspect
  };
  /** Marks for the start-up benchmark. */
  startup: {
    mark(r: StartupMark): Promise<void>; // startup_mark
  };
}

/**
 * Why a command failed. The core rejects with a plain message (most
 * commands) or, from the layouts service, with `{ status, code, message,
 * body }`; `toShellError` turns either into this.
 */
export interface ShellError {
  /** Machine-readable: the server's code (`stale_version`, `not_found`…), `unavailable`, or `error` for a plain message. */
  code: string;
  /** What to show the person. */
  message: string;
  /** The HTTP status the server refused with (0: not reached); absent for the core's own errors. */
  status?: number;
  /** The server's error body (`ErrorBody`), when there is one. */
  details?: unknown;
}

/** Any rejection as a `ShellError`; a `ShellError` comes back as it is. */
export function toShellError(e: unknown): ShellError {
  if (typeof e === 'string') return { code: 'error', message: e };
  if (e && typeof e === 'object' && 'message' in e && typeof e.message === 'string') {
    const out: ShellError = { code: 'code' in e && typeof e.code === 'string' ? e.code : 'error', message: e.message };
    if ('status' in e && typeof e.status === 'number') out.status = e.status;
    // The core's refusal carries the server's body as `body`; a ShellError as `details`.
    const details = 'body' in e ? e.body : 'details' in e ? e.details : undefined;
    if (details !== undefined && details !== null) out.details = details;
    return out;
  }
  return { code: 'error', message: String(e) };
}

/** With `stale_version`: the layout's version now (someone saved since), when the server said. */
export function staleVersion(e: ShellError): number | undefined {
  if (e.code !== 'stale_version') return undefined;
  const d = e.details;
  return d && typeof d === 'object' && 'current_version' in d && typeof d.current_version === 'number' ? d.current_version : undefined;
}

/**
 * Where a widget's files live for the webview: served by the Rust core's
 * `widget` scheme, never fetched from the sidecar directly.
 */
export function widgetUrl(widgetId: string, path: string): string {
  const isWindows = navigator.userAgent.includes('Windows');
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return isWindows
    ? `http://widget.localhost/${widgetId}/${encoded}`
    : `widget://${widgetId}/${encoded}`;
}
