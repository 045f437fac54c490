import { describe, expect, it } from 'vitest';
import { fromDockview } from '../src/dockview-to-layout';
import { toDockview } from '../src/layout-to-dockview';
import type { LayoutDocument, Panel } from '../src/types';

const widget = (id: string, channel: string | null = null): Panel => ({
  type: 'widget',
  id,
  widget: `tessera.${id}`,
  title: id.toUpperCase(),
  state: { n: id },
  channel,
});

const demo: LayoutDocument = {
  schema: 1,
  title: 'Demo',
  root: {
    type: 'row',
    content: [
      { type: 'stack', size: '40%', active: 1, content: [widget('watchlist', 'red'), widget('greeting')] },
      {
        type: 'column',
        size: '60%',
        content: [
          { type: 'stack', size: '70%', active: 0, content: [widget('chart', 'red')] },
          { type: 'stack', size: '30%', active: 0, content: [widget('clock')] },
        ],
      },
    ],
  },
  floating: [],
  popouts: [],
};

describe('layout ⇄ dockview', () => {
  it('round-trips rows, columns, stacks, sizes, active tabs, channels and state', () => {
    expect(fromDockview(toDockview(demo, 1000, 800), 'Demo')).toEqual(demo);
  });

  it('keeps floating panels with their place and size, those at one place as the tabs of one group', () => {
    const detached = (id: string, x: number) => {
      const { type: _type, ...panel } = widget(id, 'blue');
      return { panel, x, y: 40, width: 420, height: 300 };
    };
    const doc: LayoutDocument = { ...demo, floating: [detached('notes', 60), detached('news', 60), detached('alone', 500)] };
    const state = toDockview(doc, 1000, 800);
    expect(state.floatingGroups?.map((g) => [g.data?.views, g.position])).toEqual([
      [['notes', 'news'], { left: 60, top: 40, width: 420, height: 300 }],
      [['alone'], { left: 500, top: 40, width: 420, height: 300 }],
    ]);
    expect(fromDockview(state, 'Demo')).toEqual(doc);
  });

  it('reads a floating group anchored at the right or bottom, and puts its shown tab first', () => {
    const state = toDockview(demo, 1000, 800);
    state.panels.notes = { id: 'notes', contentComponent: 'widget', tabComponent: 'widget', title: 'N', params: { widget: 'tessera.notes', state: {}, channel: null } };
    state.panels.news = { id: 'news', contentComponent: 'widget', tabComponent: 'widget', title: 'W', params: { widget: 'tessera.news', state: {}, channel: null } };
    state.floatingGroups = [{ data: { id: 'f', views: ['notes', 'news'], activeView: 'news' }, position: { right: 100, bottom: 50, width: 300, height: 200 } }];
    const back = fromDockview(state, 'Demo');
    expect((back.floating ?? []).map((d) => [d.panel.id, d.x, d.y, d.width, d.height])).toEqual([
      ['news', 600, 550, 300, 200],
      ['notes', 600, 550, 300, 200],
    ]);
  });

  it("puts a lone widget at the root into a row, as the docking model needs", () => {
    const lone: LayoutDocument = { ...demo, root: widget('clock') };
    const back = fromDockview(toDockview(lone, 1000, 800), 'Demo');
    expect(back.root).toEqual({ type: 'row', content: [{ type: 'stack', active: 0, content: [widget('clock')] }] });
  });

  it('splits pixels by the percentages, the unsized sharing what is left', () => {
    const doc: LayoutDocument = {
      ...demo,
      root: { type: 'row', content: [{ ...widget('a'), size: '50%' }, widget('b'), widget('c')] },
    };
    const sizes = (toDockview(doc, 1000, 800).grid.root.data as { size: number }[]).map((c) => c.size);
    expect(sizes).toEqual([500, 250, 250]);
  });
});
