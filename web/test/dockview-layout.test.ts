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
