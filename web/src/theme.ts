// Light and dark themes: following the system unless the person chose one
// (kept in localStorage). The shell's colours are CSS custom properties
// switched by `data-theme` on <html>; dockview gets its matching theme; and
// every widget frame is told, so widgets can follow (see `WIDGET_THEME`).
import { themeDark, themeLight, type DockviewApi } from 'dockview-core';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type ThemeName = 'light' | 'dark';

const KEY = 'tessera.theme';

/**
 * What widgets receive: CSS custom properties set on their document's root
 * (documented in the README), plus the theme's name.
 */
export const WIDGET_THEME: Record<ThemeName, Record<string, string>> = {
  light: {
    '--tessera-bg': '#ffffff',
    '--tessera-surface': '#f9fafb',
    '--tessera-fg': '#111827',
    '--tessera-muted': '#636b79',
    '--tessera-border': '#e5e7eb',
    '--tessera-accent': '#2563eb',
    '--tessera-positive': '#047857',
    '--tessera-negative': '#b91c1c',
  },
  dark: {
    '--tessera-bg': '#111827',
    '--tessera-surface': '#1f2937',
    '--tessera-fg': '#e5e7eb',
    '--tessera-muted': '#a8afbb',
    '--tessera-border': '#374151',
    '--tessera-accent': '#60a5fa',
    '--tessera-positive': '#34d399',
    '--tessera-negative': '#f87171',
  },
};

export interface WidgetTheme {
  name: ThemeName;
  vars: Record<string, string>;
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): ThemeName {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

/** The next choice of the top bar's toggle: System → Light → Dark → System. */
export function nextChoice(c: ThemeChoice): ThemeChoice {
  return c === 'system' ? 'light' : c === 'light' ? 'dark' : 'system';
}

export class Themes {
  private choice: ThemeChoice;
  private readonly media = window.matchMedia('(prefers-color-scheme: dark)');
  private readonly listeners: ((t: WidgetTheme) => void)[] = [];
  private docks: DockviewApi[] = [];

  constructor() {
    const saved = localStorage.getItem(KEY);
    this.choice = saved === 'light' || saved === 'dark' ? saved : 'system';
    this.media.addEventListener('change', () => this.apply());
  }

  current(): WidgetTheme {
    const name = resolveTheme(this.choice, this.media.matches);
    return { name, vars: WIDGET_THEME[name] };
  }

  chosen(): ThemeChoice {
    return this.choice;
  }

  choose(c: ThemeChoice): void {
    this.choice = c;
    if (c === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, c);
    this.apply();
  }

  /** Calls `f` now and on every change. */
  follow(f: (t: WidgetTheme) => void): void {
    this.listeners.push(f);
    f(this.current());
  }

  dock(api: DockviewApi): void {
    this.docks.push(api);
    this.apply();
  }

  apply(): void {
    const t = this.current();
    document.documentElement.dataset.theme = t.name;
    for (const api of this.docks) api.updateOptions({ theme: t.name === 'dark' ? themeDark : themeLight });
    for (const f of this.listeners) f(t);
  }
}
