import { describe, expect, it } from 'vitest';
import { carryPanelIds, describeDiff, panelsOf, sameArrangement, type Diff } from '../src/layout-doc';
import type { LayoutDocument, Panel } from '../src/types';

const panel = (id: string, title = id): Panel => ({ type: 'widget', id, widget: 'tessera.clock', title, state: {}, channel: null });

const doc = (...ids: string[]): LayoutDocument => ({
  schema: 1,
  title: 'Desk',
  root: {
    type: 'row',
    content: [
      { type: 'stack', size: '50%', active: 0, content: ids.slice(0, 2).map((id) => panel(id)) },
      { type: 'column', size: '50%', content: ids.slice(2, 4).map((id) => ({ type: 'stack', size: '50%', content: [panel(id)] })) },
    ],
  },
  floating: ids[4] ? [{ panel: panel(ids[4]), x: 0, y: 0, width: 10, height: 10 }] : [],
  popouts: ids[5] ? [{ panel: panel(ids[5]), x: 0, y: 0, width: 10, height: 10 }] : [],
});

describe('panelsOf', () => {
  it('lists the tree depth first, then floating, then popped-out panels', () => {
    expect(panelsOf(doc('a', 'b', 'c', 'd', 'e', 'f')).map((p) => p.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('carryPanelIds', () => {
  it("gives the edited panels the clone's ids, position by position in the opened document", () => {
    const opened = doc('a', 'b', 'c', 'd');
    const fresh = doc('A', 'B', 'C', 'D');
    // Edited: 'c' removed, 'b' and 'a' swapped, 'new' added.
    const edited = doc('b', 'a', 'd', 'new');
    carryPanelIds(edited, opened, fresh);
    expect(panelsOf(edited).map((p) => p.id)).toEqual(['B', 'A', 'D', 'new']);
  });

  it('leaves ids alone when nothing matches', () => {
    const edited = doc('x', 'y');
    carryPanelIds(edited, doc('a'), doc('A'));
    expect(panelsOf(edited).map((p) => p.id)).toEqual(['x', 'y']);
  });
});

describe('describeDiff', () => {
  const none: Diff = { added: [], removed: [], moved: [], retitled: [], relinked: [], restated: [] };

  it('says when only sizes or tab order changed', () => {
    expect(describeDiff(none)).toEqual(['sizes or tab order only']);
  });

  // As the server names panels: with their widget and place.
  const ref = (id: string, title: string) => ({ id, title, widget: 'tessera.clock', place: { parent: '$.root.content[0]', index: 0 } });

  it('puts each kind of change in words', () => {
    expect(
      describeDiff({
        added: [ref('p9', 'Clock')],
        removed: [ref('p1', 'News'), ref('p2', 'Notes')],
        moved: [{ id: 'p3', from: { parent: '$.root.content[0]', index: 0 }, to: { parent: '$.root.content[1]', index: 0 } }],
        retitled: [{ id: 'p4', from: 'Chart', to: 'NVDA chart' }],
        relinked: [{ id: 'p5', from: null, to: 'red' }],
        restated: ['p6', 'p7'],
        title: { id: '', from: 'Desk', to: 'Rates desk' },
      }),
    ).toEqual([
      'renamed “Desk” → “Rates desk”',
      'added “Clock”',
      'removed “News”, “Notes”',
      'moved 1 panel',
      'retitled “Chart” → “NVDA chart”',
      'panel p5: channel none → red',
      'widget state changed in 2 panels',
    ]);
  });
});

describe('sameArrangement', () => {
  const doc = (a: string, b: string, title = 'Clock') => ({
    schema: 1,
    title: 'T',
    root: { type: 'row', content: [
      { type: 'stack', size: a, active: 0, content: [{ type: 'widget', id: 'p1', widget: 'x.clock', title, state: {}, channel: null }] },
      { type: 'stack', size: b, active: 0, content: [{ type: 'widget', id: 'p2', widget: 'x.note', title: 'Note', state: {}, channel: null }] },
    ] },
  });
  it('ignores the rounding of sizes by the window', () => {
    expect(sameArrangement(doc('40%', '60%'), doc('39.9%', '60.1%'))).toBe(true);
  });
  it('sees a resize, a retitle or a moved panel', () => {
    expect(sameArrangement(doc('40%', '60%'), doc('30%', '70%'))).toBe(false);
    expect(sameArrangement(doc('40%', '60%'), doc('40%', '60%', 'Time'))).toBe(false);
    const moved = doc('40%', '60%');
    moved.root.content.reverse();
    expect(sameArrangement(doc('40%', '60%'), moved)).toBe(false);
  });
});
