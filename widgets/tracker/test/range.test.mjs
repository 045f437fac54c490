// The brush's and the live feed's arithmetic, as the built module exports it
// (npm run build first): no DOM work, but the module defines its element, so
// happy-dom is there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GlobalRegistrator } from '@happy-dom/global-registrator';

let m;
before(async () => {
  GlobalRegistrator.register({ url: 'http://localhost/' });
  m = await import('../dist/tracker.js');
});
after(() => GlobalRegistrator.unregister());

const S = 1000;
const MIN = 60 * S;
const T0 = Date.parse('2025-03-04T12:00:00Z');
/** Buckets of 30 s from T0 to T0 + 5 min, the server's `from` unaligned as asked. */
const hist = () => ({
  from: T0 + 7 * S,
  to: T0 + 5 * MIN,
  bucket_ms: 30 * S,
  total: 3,
  buckets: Array.from({ length: 10 }, (_, i) => ({ start: T0 + i * 30 * S, count: i === 2 ? 2 : i === 5 ? 1 : 0 })),
});
const hit = (id, at, page = 'home') => ({ id, at, page, referrer: null, user_agent: null, user: null });

test('a brush snaps out to whole buckets, either way round, within the histogram', () => {
  assert.deepEqual(m.snapToBuckets(T0 + 65 * S, T0 + 100 * S, hist()), { from: T0 + 60 * S, to: T0 + 120 * S });
  assert.deepEqual(m.snapToBuckets(T0 + 100 * S, T0 + 65 * S, hist()), { from: T0 + 60 * S, to: T0 + 120 * S });
  // A click's worth: one bucket.
  assert.deepEqual(m.snapToBuckets(T0 + 61 * S, T0 + 61 * S, hist()), { from: T0 + 60 * S, to: T0 + 90 * S });
  // Past either end: clipped to the chart.
  assert.deepEqual(m.snapToBuckets(T0 - MIN, T0 + 10 * MIN, hist()), { from: T0, to: T0 + 5 * MIN });
  assert.equal(m.snapToBuckets(T0 + 20 * MIN, T0 + 30 * MIN, hist()), null);
  assert.equal(m.snapToBuckets(NaN, T0, hist()), null);
});

test('fdc3.timeRange out: ISO 8601 in UTC', () => {
  assert.deepEqual(m.timeRangeContext({ from: T0, to: T0 + 90 * S }), {
    type: 'fdc3.timeRange',
    startTime: '2025-03-04T12:00:00.000Z',
    endTime: '2025-03-04T12:01:30.000Z',
  });
});

test('fdc3.timeRange in: both bounds, one bound, none', () => {
  const now = T0 + 60 * MIN;
  const span = 15 * MIN;
  const r = (ctx) => m.rangeOfContext(ctx, now, span);
  assert.deepEqual(r({ type: 'fdc3.timeRange', startTime: '2025-03-04T12:00:00Z', endTime: '2025-03-04T13:30:00+01:00' }), {
    from: T0,
    to: T0 + 30 * MIN,
  });
  assert.deepEqual(r({ type: 'fdc3.timeRange', startTime: '2025-03-04T12:00:00Z' }), { from: T0, to: now }, 'no end: until now');
  assert.deepEqual(r({ type: 'fdc3.timeRange', endTime: '2025-03-04T12:30:00Z' }), { from: T0 + 15 * MIN, to: T0 + 30 * MIN }, 'no start: the span before');
  assert.deepEqual(r({ type: 'fdc3.timeRange', startTime: '2025-03-04T14:00:00Z' }), { from: now + 60 * MIN, to: now + 75 * MIN }, 'a future start');
  assert.equal(r({ type: 'fdc3.timeRange' }), null);
  assert.equal(r({ type: 'fdc3.timeRange', startTime: 'yesterday' }), null);
  assert.equal(r({ type: 'fdc3.timeRange', startTime: '2025-03-04T13:00:00Z', endTime: '2025-03-04T12:00:00Z' }), null, 'backwards');
  assert.equal(r({ type: 'fdc3.instrument', id: { ticker: 'AAPL' } }), null);
  assert.equal(r(null), null);
});

test('live hits go to their buckets: page filter, a fixed range, a sliding one', () => {
  const h = hist();
  const same = m.withHits(h, [hit(1, T0 + 95 * S, 'about')], 'home', false);
  assert.equal(same, h, 'another page: unchanged');
  const fixed = m.withHits(h, [hit(1, T0 + 95 * S), hit(2, T0 + 10 * MIN), hit(3, T0 - MIN)], null, false);
  assert.equal(fixed.total, 4, 'only the hit inside a fixed range counts');
  assert.equal(fixed.buckets[3].count, 1);
  assert.equal(h.buckets[3].count, 0, 'the histogram given is not changed');

  // Sliding: a hit 70 s past the end adds three buckets and drops three.
  const slid = m.withHits(h, [hit(4, T0 + 5 * MIN + 70 * S)], null, true);
  assert.equal(slid.buckets.length, 10);
  assert.equal(slid.buckets[0].start, T0 + 90 * S);
  assert.deepEqual(slid.buckets.slice(-3).map((b) => b.count), [0, 0, 1]);
  assert.equal(slid.buckets.at(-1).start, T0 + 6 * MIN);
  assert.equal(slid.total, 3 - 2 + 1, 'the dropped bucket’s hits leave the total');
});
