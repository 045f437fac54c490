// What the widget keeps with the layout through the SDK's `window.tessera`
// (typed in env.d.ts): the chosen preset and page filter. `window.fdc3` is
// typed by @finos/fdc3 (optional there: the element works without it).
import { isPreset, type PresetId } from './range';

/** The panel's saved state. */
export interface SavedState {
  preset?: PresetId;
  page?: string | null;
}

export function savedState(): SavedState {
  let state: unknown;
  try {
    state = window.tessera?.getState();
  } catch {
    return {};
  }
  if (!state || typeof state !== 'object') return {};
  const s = state as Record<string, unknown>;
  return {
    ...(isPreset(s.preset) ? { preset: s.preset } : {}),
    ...(typeof s.page === 'string' && s.page ? { page: s.page } : {}),
  };
}

export function saveState(state: SavedState): void {
  try {
    window.tessera?.setState({ preset: state.preset, page: state.page ?? null });
  } catch (e) {
    console.warn('tessera-tracker: cannot save the state', e);
  }
}
