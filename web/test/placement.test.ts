import { describe, expect, it } from 'vitest';
import { dropZone, placeNew, previewBox } from '../src/placement';

describe('placeNew', () => {
  it('starts the first panel anywhere', () => {
    expect(placeNew([], undefined)).toBeUndefined();
  });

  it('splits the largest group along its longer side', () => {
    const groups = [
      { group: 'a', width: 400, height: 700 },
      { group: 'b', width: 1000, height: 700 },
    ];
    expect(placeNew(groups, 'a')).toEqual({ group: 'b', direction: 'right' });
    expect(placeNew([{ group: 'c', width: 500, height: 700 }], 'c')).toEqual({ group: 'c', direction: 'below' });
  });

  it('never slices a group thinner than readable: ten adds end as tabs', () => {
    // A 1000×700 workspace: simulate where ten Adds go.
    let groups = [{ group: 0, width: 1000, height: 700 }];
    let focused = 0;
    let tabs = 0;
    for (let i = 1; i < 10; i++) {
      const p = placeNew(groups, focused)!;
      const g = groups.find((x) => x.group === p.group)!;
      if (p.direction === 'within') {
        tabs++;
        continue;
      }
      const next = p.direction === 'right' ? { width: g.width / 2, height: g.height } : { width: g.width, height: g.height / 2 };
      g.width = next.width;
      g.height = next.height;
      groups = [...groups, { group: i, ...next }];
      focused = i;
    }
    expect(Math.min(...groups.map((g) => g.width))).toBeGreaterThanOrEqual(250);
    expect(Math.min(...groups.map((g) => g.height))).toBeGreaterThanOrEqual(170);
    expect(tabs).toBeGreaterThan(0);
  });
});

describe('dropZone', () => {
  const g = { left: 100, top: 50, width: 400, height: 330 };
  it('the tab strip and the centre make a tab', () => {
    expect(dropZone(g, 30, 300, 60)).toBe('within');
    expect(dropZone(g, 30, 300, 230)).toBe('within');
  });
  it('near an edge splits on that side', () => {
    expect(dropZone(g, 30, 110, 230)).toBe('left');
    expect(dropZone(g, 30, 490, 230)).toBe('right');
    expect(dropZone(g, 30, 300, 90)).toBe('above');
    expect(dropZone(g, 30, 300, 370)).toBe('below');
  });
  it('reads boxes whose fields are getters, as DOMRects are', () => {
    class Rect {
      get left() { return 100; }
      get top() { return 50; }
      get width() { return 400; }
      get height() { return 330; }
    }
    expect(dropZone(new Rect(), 30, 490, 230)).toBe('right');
  });
  it('previews the half a split takes', () => {
    expect(previewBox(g, 30, 'right')).toEqual({ left: 300, top: 50, width: 200, height: 330 });
    expect(previewBox(g, 30, 'within')).toEqual({ left: 100, top: 80, width: 400, height: 300 });
  });
});
