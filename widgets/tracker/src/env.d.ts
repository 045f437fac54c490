// What the Tessera frame gives a widget besides `window.fdc3` (typed by
// @finos/fdc3): the panel's saved state and the theme.
export {};

declare global {
  interface Window {
    tessera?: {
      getState(): unknown;
      setState(state: unknown): void;
      getTheme?(): { name: 'light' | 'dark'; vars: Record<string, string> };
    };
  }
}
