// The one interface the UI talks to; the Tauri implementation calls the Rust core.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { LayoutDocument, Link, ShellInfo, Widget } from './types';

export interface Backend {
  listWidgets(): Promise<Widget[]>;
  shellInfo(): Promise<ShellInfo>;
  demoLayout(): Promise<LayoutDocument | null>;
  /** Calls `onLink` on every change of the catalogue or of the registry connection. */
  followCatalogue(onLink: (link: Link) => void): Promise<void>;
}

export const tauriBackend: Backend = {
  listWidgets: () => invoke<Widget[]>('list_widgets'),
  shellInfo: () => invoke<ShellInfo>('shell_info'),
  demoLayout: () => invoke<LayoutDocument | null>('demo_layout'),
  followCatalogue: async (onLink) => {
    await listen<Link>('catalogue', (e) => onLink(e.payload));
  },
};

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
