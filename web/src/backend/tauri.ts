// The Backend over Tauri: each method one command of the Rust core
// (src-tauri) or one event. The only file that calls `invoke`.
import { Channel, invoke, type InvokeArgs } from '@tauri-apps/api/core';
import { emitTo, listen } from '@tauri-apps/api/event';
import type { Outgoing } from '../generated/bus';
import { toShellError, type Backend, type Subscribe } from './index';

/** Runs `command`; a rejection becomes a ShellError. */
function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  return invoke<T>(command, args).catch((e: unknown) => {
    throw toShellError(e);
  });
}

/** Listens to `event` for the life of the page. */
const on =
  <T>(event: string): Subscribe<T> =>
  async (handler) => {
    await listen<T>(event, (e) => handler(e.payload));
  };

export const tauriBackend: Backend = {
  shell: {
    info: () => call('shell_info'),
  },
  catalogue: {
    list: () => call('list_widgets'),
    follow: on('catalogue'),
  },
  layouts: {
    demo: () => call('demo_layout'),
    list: (r) => call('layouts_list', r),
    get: (r) => call('layout_get', r),
    create: (r) => call('layout_create', r),
    save: (r) => call('layout_save', r),
    rename: (r) => call('layout_rename', r),
    clone: (r) => call('layout_clone', r),
    delete: (r) => call('layout_delete', r),
    undelete: (r) => call('layout_undelete', r),
    follow: (r) => call('layout_follow', r),
    onFollow: on('layout-follow'),
  },
  sharing: {
    get: (r) => call('layout_sharing', r),
    set: (r) => call('layout_set_sharing', r),
    directory: () => call('layouts_directory'),
  },
  history: {
    versions: (r) => call('layout_versions', r),
    diff: (r) => call('layout_diff', r),
    restore: (r) => call('layout_restore_version', r),
  },
  drafts: {
    load: () => call('draft_load'),
    save: (r) => call('draft_save', r),
    clear: () => call('draft_clear'),
    lastLayout: () => call('last_layout_get'),
    setLastLayout: (r) => call('last_layout_set', r),
  },
  tokens: {
    mine: () => call('my_tokens'),
    create: (r) => call('create_token', r),
    label: (r) => call('label_token', r),
    revoke: (r) => call('revoke_token', r),
  },
  signIn: {
    status: () => call('signin_status'),
    signIn: (r) => call('sign_in', r),
    local: () => call('sign_in_local'),
    acceptInvitation: (r) => call('accept_invitation', r),
    signOut: () => call('sign_out'),
  },
  links: {
    open: (r) => call('open_link', r),
    onOpen: on('open-link'),
  },
  popouts: {
    popOut: (r) => call('popout_panel', r),
    closeAll: () => call('close_popouts'),
    info: () => call('popout_info'),
    close: () => call('close_popout'),
    dock: (r) => call('dock_panel', r),
    saveState: (r) => call('popout_state', r),
    openWidget: (widget) => emitTo('main', 'open-widget', widget),
    onOpenWidget: on('open-widget'),
    onDocked: on('dock-panel'),
    onMoved: on('popout-rect'),
    onState: on('popout-state'),
    onClosed: on('popout-closed'),
  },
  bus: {
    attach: async (onMessages) => {
      const channel = new Channel<Outgoing[]>();
      channel.onmessage = onMessages;
      await call('bus_attach', { channel });
    },
    calls: (r) => call('bus_calls', r),
    registerPanel: (r) => call('bus_register_panel', r),
    unregisterPanel: (r) => call('bus_unregister_panel', r),
    setChannel: (r) => call('bus_set_channel', r),
    resolveIntent: (r) => call('bus_resolve_intent', r),
    inspect: (r) => call('bus_inspect', r),
  },
  startup: {
    mark: (r) => call('startup_mark', r),
  },
};
