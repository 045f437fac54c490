// Generated from the Rust types of shell-core (ts-rs) by
// `UPDATE_GENERATED=1 cargo test -p tessera-shell-core typescript`; do not edit.
import type { components } from './server';

type Schemas = components['schemas'];

export type ShellInfo = { registry_url: string, version: string, 
/**
 * The label of the window asking.
 */
window: string, 
/**
 * A layout to show locked and follow (`--view`).
 */
view: string | null, 
/**
 * A link from the command line to open once the page is up (main window only).
 */
opening: OpenRequest | null, };

export type OpenRequest = { "kind": "layout", id: string, view: boolean, 
/**
 * The server the link names, if it does (the page checks it is
 * the one signed in to).
 */
server: string | null, link: string, } | { "kind": "invitation", link: string, } | { "kind": "error", message: string, };

export type SignInStatus = { 
/**
 * The server this desktop uses.
 */
server: string, 
/**
 * Who is signed in there; `None`: show the sign-in screen.
 */
user: Schemas['UserInfo'] | null, 
/**
 * Why the stored sign-in does not work, if it does not.
 */
problem: string | null, 
/**
 * Whether a token is stored (or given in the environment).
 */
has_token: boolean, 
/**
 * Whether the server answered (a desktop with a token and an
 * unreachable server starts anyway, and says the server is offline).
 */
reachable: boolean, 
/**
 * Servers used before, most recent first.
 */
recent: Array<string>, };

export type Link = { "state": "live", widgets: Array<Schemas['Widget']>, } | { "state": "down", error: string, };

export type Directory = { me: Schemas['UserInfo'], users: Array<Schemas['UserInfo']>, groups: Array<Schemas['GroupInfo']>, };

export type Draft = { 
/**
 * The layout it was opened from (None: never saved).
 */
layout: string | null, 
/**
 * The version it was based on; saving it later is checked against this.
 */
version: number | null, title: string, 
/**
 * The layout document (the server's format), kept as the page wrote
 * it rather than as a `LayoutDocument`: a draft is work not to lose, so
 * one the document model would refuse (written by a newer app, or not
 * yet valid) is still offered back, and the server judges it on save.
 */
document: Schemas['LayoutDocument'], 
/**
 * When it was written (RFC 3339, from the app's clock).
 */
saved_at: string, };

export type Follow = { "kind": "version", version: number, title: string, author: string | null, } | { "kind": "gone", reason: string, } | { "kind": "lost", error: string, };

export type PopoutPanel = { panel: string, widget: string, title: string, 
/**
 * The widget's own state, which only the widget reads.
 */
state: unknown, channel: string | null, };

export type WindowRect = { x: number, y: number, width: number, height: number, };
