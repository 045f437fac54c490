// Types for what a Tessera widget finds in its frame, before its own module
// runs: `window.fdc3` (an FDC3 2.2 DesktopAgent for its panel),
// `window.tessera` (the panel's saved state and the shell's theme), the
// `fdc3Ready` and `tessera:theme` events on `window`, and the names of the
// theme's CSS custom properties.
//
// The implementation is web/src/sdk/fdc3.ts in the Tessera repository;
// web/test/sdk-types.test.ts fails the type check when the two drift apart.
//
// Use it from a widget's TypeScript project (with `@finos/fdc3` 2.2
// installed), by one of:
//   tsconfig.json  "compilerOptions": { "types": ["@tessera/widget-types"] }
//   a .d.ts file   /// <reference types="@tessera/widget-types" />
//   or copy this file into your sources.
import type { DesktopAgent } from '@finos/fdc3';

/** The shell's theme: light or dark. */
export type TesseraThemeName = 'light' | 'dark';

/**
 * The CSS custom properties the shell sets on the root element of every
 * widget frame (`document.documentElement`), in both themes. Use them with a
 * fallback, e.g. `color: var(--tessera-fg, #111827)`: they arrive shortly
 * after the frame starts.
 */
export type TesseraThemeVar =
  | '--tessera-bg'
  | '--tessera-surface'
  | '--tessera-fg'
  | '--tessera-muted'
  | '--tessera-border'
  | '--tessera-accent'
  | '--tessera-positive'
  | '--tessera-negative';

/** The theme as `tessera.getTheme()`, `tessera.onThemeChange` and the `tessera:theme` event give it. */
export interface TesseraTheme {
  name: TesseraThemeName;
  /**
   * Custom property name → value (the `TesseraThemeVar` names). Empty until
   * the shell has sent the theme; `getTheme()` says `light` until then.
   */
  vars: Record<string, string>;
}

/** What `tessera.onThemeChange` returns. */
export interface TesseraSubscription {
  /** Stops calling the handler. */
  unsubscribe: () => void;
}

/**
 * `window.tessera`: Tessera's additions to FDC3 in a widget frame. This is
 * all of it.
 */
export interface TesseraWidgetApi {
  /**
   * The panel's state as last saved with `setState` (kept in the layout).
   * `{}` when nothing was saved, and also until the frame's hello has been
   * answered: read it again when `fdc3Ready` fires.
   */
  getState: () => unknown;
  /**
   * Replaces the panel's state. It is saved with the layout (when the user
   * saves it) and comes back on the next `getState`, also after a reload.
   * Keep it small and plain JSON.
   */
  setState: (state: unknown) => void;
  /** The shell's current theme (`light` with no variables until the shell has sent it). */
  getTheme: () => TesseraTheme;
  /**
   * Calls `handler` each time the shell sends a theme from now on (the first
   * one, if it has not arrived yet, and every change); not at once with the
   * current theme, so read `getTheme()` too.
   */
  onThemeChange: (handler: (theme: TesseraTheme) => void) => TesseraSubscription;
}

declare global {
  // `@finos/fdc3` declares `Window.fdc3?: DesktopAgent` (optional), and a
  // property's declarations must agree, so Window is not touched here. In a
  // Tessera frame the agent is there before the widget's module runs: these
  // globals make `window.fdc3` (`Window & typeof globalThis`) and a bare
  // `fdc3` a `DesktopAgent`, and likewise `window.tessera` and `tessera`.
  /** The FDC3 2.2 Desktop Agent of this widget's panel. */
  var fdc3: DesktopAgent;
  /** Tessera's additions: the panel's state and the theme. */
  var tessera: TesseraWidgetApi;

  interface WindowEventMap {
    /**
     * The SDK has been answered by the shell: the panel's saved state is
     * readable (`tessera.getState()`). `window.fdc3` exists before this.
     * Fired once per frame load; a module that runs later has missed it.
     */
    fdc3Ready: Event;
    /** The shell sent a theme (also at start); `detail` is the theme. */
    'tessera:theme': CustomEvent<TesseraTheme>;
  }
}
