// Time ranges, with no DOM and no network: the presets, the brush snapped to
// whole buckets, fdc3.timeRange contexts in and out, live hits added to a
// histogram, and the words for all of these.
import type { Histogram, Hit } from './api';

export type PresetId = '15m' | '1h' | '24h' | '7d';

export interface Preset {
  id: PresetId;
  /** On its button. */
  label: string;
  /** In sentences: "last 1 h". */
  long: string;
  ms: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const PRESETS: readonly Preset[] = [
  { id: '15m', label: '15 min', long: 'last 15 minutes', ms: 15 * MINUTE },
  { id: '1h', label: '1 h', long: 'last hour', ms: HOUR },
  { id: '24h', label: '24 h', long: 'last 24 hours', ms: DAY },
  { id: '7d', label: '7 d', long: 'last 7 days', ms: 7 * DAY },
];

export const DEFAULT_PRESET: PresetId = '1h';

export function isPreset(v: unknown): v is PresetId {
  return PRESETS.some((p) => p.id === v);
}

export function preset(id: PresetId): Preset {
  return PRESETS.find((p) => p.id === id) ?? PRESETS[1];
}

/** From `from` to `to`, epoch milliseconds, `from < to`. */
export interface Range {
  from: number;
  to: number;
}

/** The last `id` up to `now`. */
export function presetRange(id: PresetId, now: number): Range {
  return { from: now - preset(id).ms, to: now };
}

export function sameRange(a: Range | null | undefined, b: Range | null | undefined): boolean {
  return !!a && !!b && a.from === b.from && a.to === b.to;
}

/** Where the chart's x axis goes: from the first bucket's start to the last one's end. */
export function extent(h: Histogram): Range {
  const first = h.buckets[0]?.start ?? h.from;
  const last = h.buckets[h.buckets.length - 1];
  return { from: Math.min(first, h.from), to: last ? last.start + h.bucket_ms : Math.max(h.to, h.from + h.bucket_ms) };
}

/**
 * A brush from `a` to `b` (either way round, in ms along the chart's x axis)
 * as whole buckets of `h`: the first bucket it touches to the end of the
 * last. Null when it misses the histogram.
 */
export function snapToBuckets(a: number, b: number, h: Histogram): Range | null {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const bounds = extent(h);
  const lo = Math.max(Math.min(a, b), bounds.from);
  const hi = Math.min(Math.max(a, b), bounds.to);
  if (hi < lo) return null;
  const origin = h.buckets[0]?.start ?? h.from;
  const size = h.bucket_ms;
  const from = origin + Math.floor((lo - origin) / size) * size;
  let to = origin + Math.ceil((hi - origin) / size) * size;
  if (to <= from) to = from + size;
  return { from, to: Math.min(to, Math.max(bounds.to, from + size)) };
}

/** The hits of `h` in `r`'s buckets (those starting in it). */
export function countIn(h: Histogram, r: Range): number {
  let n = 0;
  for (const b of h.buckets) if (b.start >= r.from && b.start < r.to) n += b.count;
  return n;
}

/** FDC3's standard context for a span of time. */
export interface TimeRangeContext {
  type: 'fdc3.timeRange';
  startTime?: string;
  endTime?: string;
  [key: string]: unknown;
}

export function timeRangeContext(r: Range): TimeRangeContext {
  return { type: 'fdc3.timeRange', startTime: new Date(r.from).toISOString(), endTime: new Date(r.to).toISOString() };
}

function instant(v: unknown): number | null {
  if (typeof v === 'string' && v.trim()) {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  if (v instanceof Date && Number.isFinite(v.getTime())) return v.getTime();
  return null;
}

/**
 * The range an `fdc3.timeRange` context names, or null when it names none.
 * FDC3 asks for at least one of `startTime` and `endTime`: a missing end is
 * now (a start in the future: `span` after it), a missing start is `span`
 * before the end.
 */
export function rangeOfContext(ctx: unknown, now: number, span: number): Range | null {
  if (!ctx || typeof ctx !== 'object' || (ctx as { type?: unknown }).type !== 'fdc3.timeRange') return null;
  const c = ctx as TimeRangeContext;
  let from = instant(c.startTime);
  let to = instant(c.endTime);
  if (from === null && to === null) return null;
  if (to === null) to = from! < now ? now : from! + span;
  if (from === null) from = to - span;
  return to > from ? { from, to } : null;
}

// Words. Times are local, on a 24-hour clock.
const HM = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const HMS = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const DAY_MONTH = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const COUNT = new Intl.NumberFormat();

export const formatCount = (n: number): string => COUNT.format(n);

function dayKey(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** `12:03:05`, for a hit. */
export function formatClock(t: number): string {
  return HMS.format(t);
}

/**
 * `12:03–12:18` today; `3 Jan 12:03–12:18` on another day; `3 Jan
 * 12:00–4 Jan 08:00` across days; with seconds when a bound has some.
 */
export function formatRange(r: Range, now: number): string {
  const seconds = r.from % MINUTE !== 0 || r.to % MINUTE !== 0;
  const time = (t: number) => (seconds ? HMS : HM).format(t);
  const sameDay = dayKey(r.from) === dayKey(r.to);
  const today = sameDay && dayKey(r.from) === dayKey(now);
  if (today) return `${time(r.from)}–${time(r.to)}`;
  if (sameDay) return `${DAY_MONTH.format(r.from)} ${time(r.from)}–${time(r.to)}`;
  return `${DAY_MONTH.format(r.from)} ${time(r.from)}–${DAY_MONTH.format(r.to)} ${time(r.to)}`;
}

/** `10 s`, `5 min`, `2 h`, `1 d`. */
export function formatDuration(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} d`;
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/**
 * `h` with live `hits` counted in: each hit of `page` (any page when null)
 * goes to its bucket. When `sliding`, a hit past the last bucket adds
 * buckets at the end (and drops as many at the start, so the span stays).
 * Returns `h` itself when no hit counted.
 */
export function withHits(h: Histogram, hits: readonly Hit[], page: string | null, sliding: boolean): Histogram {
  const size = h.bucket_ms;
  const origin = h.buckets[0]?.start;
  if (origin === undefined || size <= 0) return h;
  let buckets: { start: number; count: number }[] | null = null;
  let total = h.total;
  let end = h.to;
  for (const hit of hits) {
    if (page !== null && hit.page !== page) continue;
    if (hit.at < origin || (!sliding && hit.at >= h.to)) continue;
    buckets ??= h.buckets.map((b) => ({ ...b }));
    const start = origin + Math.floor((hit.at - origin) / size) * size;
    const last = buckets[buckets.length - 1];
    if (start > last.start) {
      // At most a whole span of new buckets: more is a jump, not a slide.
      const add = Math.min((start - last.start) / size, buckets.length);
      for (let i = 0; i < add; i++) buckets.push({ start: start - (add - 1 - i) * size, count: 0 });
      const dropped = buckets.splice(0, add);
      total -= dropped.reduce((n, b) => n + b.count, 0);
    }
    const b = buckets.find((x) => x.start === start);
    if (!b) continue;
    b.count += 1;
    total += 1;
    end = Math.max(end, hit.at + 1);
  }
  if (!buckets) return h;
  return { ...h, from: buckets[0].start, to: end, total, buckets };
}
