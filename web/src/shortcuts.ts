// The shell's keyboard shortcuts: one table, matched the same way whether
// the key was pressed in the shell's page or passed on by a widget's frame.
import type { KeyPress } from './bus';

export type CommandId =
  | 'save'
  | 'open'
  | 'close-panel'
  | 'next-tab'
  | 'prev-tab'
  | 'maximise'
  | 'palette'
  | 'focus-left'
  | 'focus-right'
  | 'focus-up'
  | 'focus-down'
  | 'focus-next-group';

/** Shortcut → command; the labels are what the palette shows. */
export const SHORTCUTS: [string, CommandId][] = [
  ['Ctrl+S', 'save'],
  ['Ctrl+O', 'open'],
  ['Ctrl+W', 'close-panel'],
  ['Ctrl+Tab', 'next-tab'],
  ['Ctrl+PageDown', 'next-tab'],
  ['Ctrl+Shift+Tab', 'prev-tab'],
  ['Ctrl+PageUp', 'prev-tab'],
  ['Ctrl+Shift+M', 'maximise'],
  ['Ctrl+K', 'palette'],
  ['Ctrl+Alt+ArrowLeft', 'focus-left'],
  ['Ctrl+Alt+ArrowRight', 'focus-right'],
  ['Ctrl+Alt+ArrowUp', 'focus-up'],
  ['Ctrl+Alt+ArrowDown', 'focus-down'],
  ['F6', 'focus-next-group'],
];

/** A key press in the table's notation: modifiers in a fixed order, letters upper-case. */
export function keyName(k: KeyPress): string {
  const key = k.key.length === 1 ? k.key.toUpperCase() : k.key;
  return [k.ctrl && 'Ctrl', k.alt && 'Alt', k.shift && 'Shift', key].filter(Boolean).join('+');
}

export function shortcutFor(k: KeyPress): CommandId | undefined {
  const name = keyName(k);
  return SHORTCUTS.find(([keys]) => keys === name)?.[1];
}

/** The first shortcut of a command, for menus and the palette. */
export function keysOf(id: CommandId): string | undefined {
  return SHORTCUTS.find(([, c]) => c === id)?.[0];
}

/** From a DOM event (Cmd counts as Ctrl, for macOS). */
export function keyPress(e: KeyboardEvent): KeyPress {
  return { key: e.key, ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey, alt: e.altKey };
}
