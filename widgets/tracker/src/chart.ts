// The drawing, by uPlot: hits per bucket as bars, with uPlot's drag-to-select
// as the brush (`cursor.drag` without zooming, `hooks.setSelect`). Nothing
// here decides what a brush means: it reports the dragged span in epoch ms
// and draws the mark it is given. The element works without it where there
// is no canvas (a test's DOM): `createChart` then answers null.
import uPlot from 'uplot';

import type { Bucket, Histogram } from './api';
import { extent, type Range } from './range';
import { withAlpha, type ChartColours } from './theme';

export interface ChartEvents {
  /** A drag across the plot, from `a` to `b` on the time axis (epoch ms, either order). */
  onBrush(a: number, b: number): void;
  /** The pointer is over this bucket; null when it left. */
  onHover(bucket: Bucket | null): void;
}

export interface HistogramChart {
  /** Draws `h` and marks `mark` (a brushed range) on it. */
  show(h: Histogram, mark: Range | null): void;
  mark(r: Range | null): void;
  setColours(c: ChartColours): void;
  destroy(): void;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HM = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const HMS = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const DAY_MONTH = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const COUNT = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const FONT = '11px system-ui, sans-serif';

/** Whether this document can draw on a canvas at all. */
export function canDraw(): boolean {
  try {
    return !!document.createElement('canvas').getContext('2d');
  } catch {
    return false;
  }
}

/** The time axis' labels: a date at midnight and for day steps, else the time. */
function timeLabels(splits: number[], incr: number): string[] {
  return splits.map((t) => {
    const d = new Date(t);
    if (incr >= DAY || (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0)) return DAY_MONTH.format(d);
    return (incr < MINUTE ? HMS : HM).format(d);
  });
}

export function createChart(box: HTMLElement, colours: ChartColours, events: ChartEvents): HistogramChart | null {
  if (!canDraw()) return null;
  let hist: Histogram | null = null;
  let marked: Range | null = null;
  let c = colours;
  let pressed = false;

  // Before the panel is laid out (or in a test's DOM) the box has no size yet: the observer below fixes it.
  const size = () => ({
    width: box.clientWidth > 0 ? Math.max(box.clientWidth, 120) : 300,
    height: box.clientHeight > 0 ? Math.max(box.clientHeight, 60) : 150,
  });
  // Colours as functions: uPlot asks them at each redraw, so a theme change is a redraw.
  const axisStyle = () => ({
    stroke: () => c.muted,
    font: FONT,
    grid: { stroke: () => c.border, width: 1 },
    ticks: { stroke: () => c.border, width: 1, size: 4 },
  });

  const opts: uPlot.Options = {
    ...size(),
    ms: 1,
    legend: { show: false },
    padding: [6, 8, 0, 0],
    cursor: {
      y: false,
      points: { show: false },
      drag: { x: true, y: false, setScale: false, dist: 4 },
    },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: true, range: () => (hist ? ((r) => [r.from, r.to])(extent(hist)) : [0, 1]) as uPlot.Range.MinMax },
      y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil((max || 0) * 1.12))] },
    },
    axes: [
      { ...axisStyle(), space: 64, size: 26, values: (_u, splits, _i, _space, incr) => timeLabels(splits, incr) },
      {
        ...axisStyle(),
        space: 22,
        gap: 4,
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8],
        values: (_u, splits) => splits.map((v) => COUNT.format(v)),
        size: (_u, values) => 14 + 6.5 * Math.max(1, ...(values ?? []).map((v) => v.length)),
      },
    ],
    series: [
      {},
      {
        label: 'Hits',
        paths: uPlot.paths.bars!({ align: 1, size: [1, Infinity], gap: 1 }),
        points: { show: false },
        fill: () => withAlpha(c.accent, 0.75),
        stroke: () => c.accent,
        width: 0,
      },
    ],
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width <= 0) return;
          events.onBrush(u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x'));
        },
      ],
      setCursor: [
        (u) => {
          // The bucket under the pointer (uPlot's own idx is the nearest bar start, half a bar off).
          const left = u.cursor.left;
          const first = hist?.buckets[0];
          if (!hist || !first || left === undefined || left < 0) return events.onHover(null);
          const i = Math.floor((u.posToVal(left, 'x') - first.start) / hist.bucket_ms);
          events.onHover(hist.buckets[i] ?? null);
        },
      ],
      setSize: [() => place()],
    },
  };
  const u = new uPlot(opts, [[], []], box);

  /** Puts uPlot's selection box over the marked range (none: hidden), unless a drag is under way. */
  function place(): void {
    if (pressed) return;
    if (!marked || !hist) {
      u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
      return;
    }
    const plotW = u.bbox.width / (window.devicePixelRatio || 1);
    const plotH = u.bbox.height / (window.devicePixelRatio || 1);
    const left = Math.max(0, Math.min(plotW, u.valToPos(marked.from, 'x')));
    const right = Math.max(0, Math.min(plotW, u.valToPos(marked.to, 'x')));
    u.setSelect({ left, top: 0, width: Math.max(0, right - left), height: plotH }, false);
  }

  // A click without a drag hides uPlot's box: the mark comes back when the button is released.
  const release = () => {
    pressed = false;
    setTimeout(place);
  };
  const press = (e: MouseEvent) => {
    if (e.button !== 0) return;
    pressed = true;
    document.addEventListener('mouseup', release, { once: true });
  };
  u.over.addEventListener('mousedown', press);
  u.over.addEventListener('mouseleave', () => events.onHover(null));

  const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(() => u.setSize(size())) : null;
  resize?.observe(box);

  return {
    show(h, mark) {
      hist = h;
      marked = mark;
      u.setData([h.buckets.map((b) => b.start), h.buckets.map((b) => b.count)]);
      place();
    },
    mark(r) {
      marked = r;
      place();
    },
    setColours(next) {
      c = next;
      u.redraw(false, true);
    },
    destroy() {
      resize?.disconnect();
      document.removeEventListener('mouseup', release);
      u.destroy();
    },
  };
}
