// What the widget uses of its frame: the FDC3 agent (`window.fdc3`) and
// Tessera's extras (`window.tessera`), both set up by the shell's SDK before
// this module runs. Only the parts used here are declared.

/** An `fdc3.instrument` context as watchlists broadcast it. */
export interface Instrument {
  type: 'fdc3.instrument';
  id: { ticker?: string; [key: string]: unknown };
  name?: string;
}

interface Listener {
  unsubscribe(): Promise<void> | void;
}

interface Fdc3 {
  addContextListener(type: string, handler: (context: Instrument) => void): Promise<Listener>;
  addIntentListener(intent: string, handler: (context: Instrument) => unknown): Promise<Listener>;
}

/** What the widget keeps with the layout. */
export interface SavedState {
  instrument?: Instrument;
}

interface Tessera {
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  interface Window {
    fdc3?: Fdc3;
    tessera?: Tessera;
  }
}

/** The instrument saved with the layout, if any. */
export function savedInstrument(): Instrument | undefined {
  const state = window.tessera?.getState() as SavedState | undefined;
  return state?.instrument?.id?.ticker ? state.instrument : undefined;
}

export function saveInstrument(instrument: Instrument): void {
  window.tessera?.setState({ instrument } satisfies SavedState);
}

/**
 * Calls `fn` now and once more when the SDK has the panel's saved state:
 * `getState()` answers `{}` until the shell has said hello (`fdc3Ready`),
 * which may come before or after this module runs.
 */
export function whenStateReady(fn: () => void): void {
  fn();
  window.addEventListener('fdc3Ready', fn, { once: true });
}
