import { describe, expect, it } from 'vitest';
import { filterItems } from '../src/palette';
import { keyName, shortcutFor } from '../src/shortcuts';
import { nextChoice, resolveTheme } from '../src/theme';

const k = (key: string, mods: Partial<{ ctrl: boolean; shift: boolean; alt: boolean }> = {}) => ({
  key,
  ctrl: !!mods.ctrl,
  shift: !!mods.shift,
  alt: !!mods.alt,
});

describe('shortcuts', () => {
  it('names key presses the way the table does', () => {
    expect(keyName(k('s', { ctrl: true }))).toBe('Ctrl+S');
    expect(keyName(k('M', { ctrl: true, shift: true }))).toBe('Ctrl+Shift+M');
    expect(keyName(k('ArrowLeft', { ctrl: true, alt: true }))).toBe('Ctrl+Alt+ArrowLeft');
  });
  it('maps each documented shortcut to its command', () => {
    expect(shortcutFor(k('s', { ctrl: true }))).toBe('save');
    expect(shortcutFor(k('o', { ctrl: true }))).toBe('open');
    expect(shortcutFor(k('w', { ctrl: true }))).toBe('close-panel');
    expect(shortcutFor(k('Tab', { ctrl: true }))).toBe('next-tab');
    expect(shortcutFor(k('PageDown', { ctrl: true }))).toBe('next-tab');
    expect(shortcutFor(k('Tab', { ctrl: true, shift: true }))).toBe('prev-tab');
    expect(shortcutFor(k('PageUp', { ctrl: true }))).toBe('prev-tab');
    expect(shortcutFor(k('m', { ctrl: true, shift: true }))).toBe('maximise');
    expect(shortcutFor(k('k', { ctrl: true }))).toBe('palette');
    expect(shortcutFor(k('F6'))).toBe('focus-next-group');
  });
  it('leaves other keys to the page', () => {
    expect(shortcutFor(k('s'))).toBeUndefined();
    expect(shortcutFor(k('x', { ctrl: true }))).toBeUndefined();
  });
});

describe('palette', () => {
  const items = [
    { title: 'Save', kind: 'Command', run: () => {} },
    { title: 'Price chart', kind: 'Add widget', keywords: 'tessera.price-chart fdc3.instrument', run: () => {} },
    { title: 'Head of desk', kind: 'Open layout', run: () => {} },
  ];
  it('finds by every word, in title, kind or keywords', () => {
    expect(filterItems(items, 'add price').map((i) => i.title)).toEqual(['Price chart']);
    expect(filterItems(items, 'instrument').map((i) => i.title)).toEqual(['Price chart']);
    expect(filterItems(items, '').length).toBe(3);
    expect(filterItems(items, 'nothing here')).toEqual([]);
  });
  it('puts a title match before a match in another widget\'s description', () => {
    // Typed "Top movers" and pressed Enter: Instrument details, whose
    // description names "Top movers' channel", came first and was added.
    const widgets = [
      { title: 'Instrument details', kind: 'Add widget', keywords: "link it to a watchlist's or Top movers' channel", run: () => {} },
      { title: 'Top movers', kind: 'Add widget', keywords: 'gainers and losers', run: () => {} },
      { title: 'Movers board', kind: 'Open layout', run: () => {} },
    ];
    expect(filterItems(widgets, 'Top movers').map((i) => i.title)).toEqual(['Top movers', 'Instrument details']);
    expect(filterItems(widgets, 'movers').map((i) => i.title)).toEqual(['Movers board', 'Top movers', 'Instrument details']);
  });
});

describe('theme', () => {
  it('follows the system unless chosen', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(nextChoice('system')).toBe('light');
    expect(nextChoice('light')).toBe('dark');
    expect(nextChoice('dark')).toBe('system');
  });
});

describe('marketplace search', async () => {
  const { contextTypes, matches } = await import('../src/marketplace');
  const w = (id: string, listens: string[], broadcasts: string[], intents: { name: string; contexts: string[] }[] = []) =>
    ({ id, title: id.split('.')[1], publisher: id.split('.')[0], description: `the ${id} widget`, interop: { listens, broadcasts, intents } }) as never;
  const table = w('acme.table', [], ['fdc3.instrument']);
  const chart = w('acme.chart', ['fdc3.instrument'], [], [{ name: 'ViewChart', contexts: ['fdc3.instrument'] }]);
  const clock = w('tessera.clock', [], []);
  it('lists the context types widgets speak', () => {
    expect(contextTypes([table, chart, clock])).toEqual(['fdc3.instrument']);
  });
  it('filters by what works with a context type', () => {
    expect([table, chart, clock].filter((x) => matches(x, '', 'fdc3.instrument'))).toEqual([table, chart]);
  });
  it('searches titles, publishers, contexts and intents', () => {
    expect([table, chart, clock].filter((x) => matches(x, 'viewchart', ''))).toEqual([chart]);
    expect([table, chart, clock].filter((x) => matches(x, 'tessera', ''))).toEqual([clock]);
    expect([table, chart, clock].filter((x) => matches(x, 'acme instrument', ''))).toEqual([table, chart]);
  });
});
