// The built module (npm run build first) in happy-dom: a fake `fetch` answers
// api/hits/* from a list of hits as tessera-tracker's contract says, a fake
// `window.fdc3` records broadcasts and delivers fdc3.timeRange contexts, and a
// canvas that draws nothing lets uPlot run for real, drag-to-select included.
process.env.TZ = 'UTC';

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GlobalRegistrator } from '@happy-dom/global-registrator';

// ---- The fake backend -------------------------------------------------

// As the widget sees tessera-tracker: times in epoch ms; the server picks a
// round bucket giving at most ~120 buckets; every bucket from `from` aligned
// down to `to`, zeros included; errors in the server's envelope.

const ROUND = [1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400, 30 * 86400].map((s) => s * 1000);

function createBackend() {
  const hits = [];
  const calls = [];
  let nextId = 1;
  let waiters = [];
  /** When set, the histogram and the pages answer this instead: `{status, body, json}`. */
  let failure = null;
  /** Only api/hits/live fails (the feed), when set. */
  let liveFailure = null;

  function json(status, body) {
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }

  function answer(f) {
    return f.json ? json(f.status, f.body) : new Response(f.body, { status: f.status, headers: { 'content-type': 'text/plain' } });
  }

  function add(page, at, user = null, referrer = null) {
    const hit = { id: nextId++, at, page, referrer, user_agent: 'test-agent/1.0', user };
    hits.push(hit);
    const w = waiters;
    waiters = [];
    w.forEach((wake) => wake());
    return hit;
  }

  function int(u, name) {
    const v = u.searchParams.get(name);
    return v === null ? null : Number(v);
  }

  function invalid(field, message) {
    return json(422, { code: 'invalid_field', message, field });
  }

  function histogram(u) {
    const from = int(u, 'from');
    const to = int(u, 'to');
    if (!Number.isInteger(from) || !Number.isInteger(to)) return invalid('from', 'from and to: integers of epoch ms are required');
    if (to <= from) return invalid('to', 'to: must be after from');
    const page = u.searchParams.get('page');
    const bucket = int(u, 'bucket') ?? ROUND.find((b) => (to - from) / b <= 120) ?? ROUND.at(-1);
    const start = Math.floor(from / bucket) * bucket;
    const buckets = [];
    for (let t = start; t < to; t += bucket) buckets.push({ start: t, count: 0 });
    for (const h of hits) {
      if (h.at < start || h.at >= to || (page !== null && h.page !== page)) continue;
      buckets[Math.floor((h.at - start) / bucket)].count += 1;
    }
    return json(200, { from, to, bucket_ms: bucket, total: buckets.reduce((n, b) => n + b.count, 0), buckets });
  }

  function pages(u) {
    const from = int(u, 'from');
    const to = int(u, 'to');
    if (!Number.isInteger(from) || !Number.isInteger(to)) return invalid('from', 'from and to: integers of epoch ms are required');
    const limit = int(u, 'limit') ?? 10;
    const counts = new Map();
    for (const h of hits) if (h.at >= from && h.at < to) counts.set(h.page, (counts.get(h.page) ?? 0) + 1);
    const rows = [...counts].map(([page, n]) => ({ page, hits: n })).sort((a, b) => b.hits - a.hits || a.page.localeCompare(b.page));
    return json(200, { pages: rows.slice(0, limit) });
  }

  async function live(u, signal) {
    const last = () => (hits.length ? hits[hits.length - 1].id : 0);
    if (!u.searchParams.has('after')) return json(200, { last: last(), hits: [] });
    const after = int(u, 'after');
    const wait = int(u, 'wait') ?? 0;
    if (wait > 10) return invalid('wait', 'wait: at most 10 seconds');
    const newer = () => hits.filter((h) => h.id > after);
    if (!newer().length && wait > 0) {
      // Held until a hit comes (the real one waits up to `wait` s; here 300 ms at most).
      await new Promise((resolve, reject) => {
        const t = setTimeout(resolve, 300);
        waiters.push(() => {
          clearTimeout(t);
          setTimeout(resolve, 5);
        });
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    }
    // As the service: the last hit's id, or `after` itself when none came.
    const found = newer().slice(0, 500);
    return json(200, { last: found.length ? found.at(-1).id : after, hits: found });
  }

  async function fetch(url, init) {
    const u = new URL(String(url), 'widget://tessera.tracker/');
    calls.push({ url: String(url), path: u.pathname, params: Object.fromEntries(u.searchParams) });
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    if (failure && u.pathname !== '/api/hits/live') return answer(failure);
    switch (u.pathname) {
      case '/api/hits/histogram':
        return histogram(u);
      case '/api/hits/pages':
        return pages(u);
      case '/api/hits/live':
        if (liveFailure) return answer(liveFailure);
        return live(u, init?.signal);
      default:
        return json(404, { code: 'not_found', message: `no route GET ${u.pathname}` });
    }
  }

  return {
    fetch,
    add,
    hits,
    calls,
    /** The calls to `path` (e.g. "/api/hits/histogram") since `mark`. */
    since(mark, path) {
      return calls.slice(mark).filter((c) => c.path === path);
    },
    fail(f) {
      failure = f;
    },
    failLive(f) {
      liveFailure = f;
    },
  };
}

/** A 2D context that draws nothing and accepts everything (happy-dom has none), so uPlot runs for real. */
function installFakeCanvas(window) {
  const drawn = { rects: 0, fills: 0 };
  class Path2D {
    rect() {
      drawn.rects += 1;
    }
    moveTo() {}
    lineTo() {}
    arc() {}
    arcTo() {}
    closePath() {}
    addPath() {}
    bezierCurveTo() {}
    quadraticCurveTo() {}
  }
  window.Path2D = Path2D;
  globalThis.Path2D = Path2D;
  const gradient = { addColorStop() {} };
  window.HTMLCanvasElement.prototype.getContext = function getContext(kind) {
    if (kind !== '2d') return null;
    const canvas = this;
    const state = { lineWidth: 1, font: '10px sans-serif', globalAlpha: 1 };
    return new Proxy(state, {
      get(target, prop) {
        if (prop === 'canvas') return canvas;
        if (prop in target) return target[prop];
        if (prop === 'measureText') return (t) => ({ width: String(t).length * 6, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 });
        if (prop === 'getLineDash') return () => [];
        if (prop === 'createLinearGradient' || prop === 'createRadialGradient' || prop === 'createPattern') return () => gradient;
        if (prop === 'fill') return () => void (drawn.fills += 1);
        if (typeof prop === 'symbol') return undefined;
        return () => {};
      },
      set(target, prop, value) {
        target[prop] = value;
        return true;
      },
    });
  };
  return drawn;
}

// ---- The tests -------------------------------------------------------

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.now();
const backend = createBackend();

// The last hour: greeting 6, home 3, about 1; earlier today: old 4.
for (let i = 0; i < 6; i++) backend.add('greeting', NOW - (5 + i * 7) * MIN, i % 2 ? 'alice' : null);
for (let i = 0; i < 3; i++) backend.add('home', NOW - (12 + i * 11) * MIN);
backend.add('about', NOW - 50 * MIN, 'bob');
for (let i = 0; i < 4; i++) backend.add('old', NOW - (3 * HOUR + i * MIN));

const broadcasts = [];
const handlers = [];
let drawn;
let el;

before(async () => {
  GlobalRegistrator.register({ url: 'http://localhost/', width: 900, height: 500 });
  drawn = installFakeCanvas(window);
  globalThis.fetch = backend.fetch;
  window.fetch = backend.fetch;
  window.fdc3 = {
    broadcast: async (ctx) => void broadcasts.push(ctx),
    addContextListener: async (type, h) => {
      handlers.push({ type, h });
      return { unsubscribe: async () => void handlers.splice(handlers.findIndex((x) => x.h === h), 1) };
    },
  };
  window.tessera = { state: {}, getState() { return this.state; }, setState(s) { this.state = s; } };
  await import('../dist/tracker.js');
  el = document.createElement('tessera-tracker');
  document.body.append(el);
  await settle(150);
});

after(async () => {
  el?.remove();
  await settle(20);
  await GlobalRegistrator.unregister();
});

function settle(ms = 80) {
  return new Promise((r) => setTimeout(r, ms));
}
async function until(what, check, ms = 3000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await settle(20);
  }
}
const $ = (s) => el.shadowRoot.querySelector(s);
const $$ = (s) => [...el.shadowRoot.querySelectorAll(s)];
const text = (s) => ($(s)?.textContent ?? '').replace(/\s+/g, ' ').trim();
const total = () => text('.total .n');
const pageRows = () => $$('.page-row').map((b) => [b.querySelector('.name').textContent, b.querySelector('.hits').textContent]);
const iso = (t) => new Date(t).toISOString();
const num = (c, k) => Number(c.params[k]);
const send = (ctx) => handlers.filter((x) => x.type === 'fdc3.timeRange').forEach((x) => x.h(ctx));

test('defined once under the manifest tag, listening for fdc3.timeRange', () => {
  assert.equal(customElements.get('tessera-tracker'), el.constructor);
  assert.ok(el.shadowRoot, 'renders into its shadow root');
  assert.deepEqual(handlers.map((x) => x.type), ['fdc3.timeRange']);
  assert.ok(el.shadowRoot.querySelector('style').textContent.includes('.u-select'), "uPlot's stylesheet is in the shadow root");
  assert.ok($('.chart .uplot'), 'uPlot drew its chart in the shadow root');
});

test('shows the last hour: total, histogram and top pages from the backend', () => {
  const [h] = backend.calls.filter((c) => c.path === '/api/hits/histogram');
  assert.equal(num(h, 'to') - num(h, 'from'), HOUR, 'the default preset is one hour');
  assert.ok(Math.abs(num(h, 'to') - NOW) < 5_000, 'up to now');
  assert.equal(h.params.page, undefined, 'every page');
  assert.equal(h.params.bucket, undefined, 'the server picks the bucket');
  const [p] = backend.calls.filter((c) => c.path === '/api/hits/pages');
  assert.equal(num(p, 'to') - num(p, 'from'), HOUR);
  assert.equal(p.params.limit, '10');

  assert.equal(total(), '10');
  assert.match(text('.scope'), /last hour/);
  assert.deepEqual(pageRows(), [['greeting', '6'], ['home', '3'], ['about', '1']]);
  const bars = $$('.page-row .bar').map((b) => b.style.width);
  assert.deepEqual(bars, ['100.0%', '50.0%', '16.7%'], 'bars in proportion to the top page');
  assert.equal($('[data-preset="1h"]').getAttribute('aria-pressed'), 'true');
  assert.match($('.chart').getAttribute('aria-label'), /per 30 s, last hour: 10 in all/);
  assert.ok(drawn.rects > 0, 'bars drawn');
});

test('a preset asks for its span, and is saved with the layout', async () => {
  const mark = backend.calls.length;
  $('[data-preset="24h"]').click();
  await until('the 24 h histogram', () => total() === '14');
  const [h] = backend.since(mark, '/api/hits/histogram');
  assert.equal(num(h, 'to') - num(h, 'from'), 24 * HOUR);
  const [p] = backend.since(mark, '/api/hits/pages');
  assert.equal(num(p, 'to') - num(p, 'from'), 24 * HOUR);
  assert.deepEqual(pageRows()[0], ['greeting', '6']);
  assert.ok(pageRows().some(([page]) => page === 'old'));
  assert.equal($('[data-preset="24h"]').getAttribute('aria-pressed'), 'true');
  assert.equal($('[data-preset="1h"]').getAttribute('aria-pressed'), 'false');
  assert.deepEqual(window.tessera.state, { preset: '24h', page: null });

  const mark15 = backend.calls.length;
  $('[data-preset="15m"]').click();
  await until('the 15 min histogram', () => backend.since(mark15, '/api/hits/histogram').length);
  const [h15] = backend.since(mark15, '/api/hits/histogram');
  assert.equal(num(h15, 'to') - num(h15, 'from'), 15 * MIN);

  $('[data-preset="1h"]').click();
  await until('back to the hour', () => total() === '10');
});

test('brushing (the handler) broadcasts fdc3.timeRange with ISO times and shows that span', async () => {
  const mark = backend.calls.length;
  const before = broadcasts.length;
  // A drag from 20 to 8 minutes ago: snapped out to whole 30 s buckets.
  const a = NOW - 8 * MIN - 10_000;
  const b = NOW - 20 * MIN - 10_000;
  const r = await el.brushed(a, b);
  assert.equal(r.from % 30_000, 0);
  assert.equal(r.to % 30_000, 0);
  assert.ok(r.from <= b && b - r.from < 30_000 && r.to >= a && r.to - a < 30_000, JSON.stringify(r));
  assert.equal(broadcasts.length, before + 1);
  assert.deepEqual(broadcasts.at(-1), { type: 'fdc3.timeRange', startTime: iso(r.from), endTime: iso(r.to) });
  assert.match(broadcasts.at(-1).startTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);

  // Top pages of the span; the histogram stays the hour's.
  const [p] = await until('the pages of the span', () => backend.since(mark, '/api/hits/pages'));
  assert.equal(num(p, 'from'), r.from);
  assert.equal(num(p, 'to'), r.to);
  assert.equal(backend.since(mark, '/api/hits/histogram').length, 0);
  // In the span: greeting at -12 and -19, home at -12 (the hits at -5 and -23 are outside).
  await until('the span’s pages', () => pageRows().length === 2);
  assert.deepEqual(pageRows(), [['greeting', '2'], ['home', '1']]);
  assert.equal(total(), '3', 'the header counts the span');
  assert.match(text('.scope'), /selected · 10 in the last hour/);
  const chip = $('.chip.brush');
  assert.ok(chip, 'a chip names the span');
  // Local times (TZ=UTC here), with seconds when a bound has some.
  const hm = (t) => iso(t).slice(11, r.from % MIN || r.to % MIN ? 19 : 16);
  assert.ok(text('.chip.brush .v').includes(hm(r.from)) && text('.chip.brush .v').includes(`–`), text('.chip.brush .v'));
  assert.ok(text('.chip.brush .v').includes(hm(r.to)), text('.chip.brush .v'));

  // ✕ clears it: the hour's pages again, nothing broadcast.
  const mark2 = backend.calls.length;
  chip.querySelector('button').click();
  await until('the hour’s pages', () => pageRows().length === 3);
  const [p2] = backend.since(mark2, '/api/hits/pages');
  assert.equal(num(p2, 'to') - num(p2, 'from'), HOUR);
  assert.equal($('.chip.brush'), null);
  assert.equal(total(), '10');
  assert.equal(broadcasts.length, before + 1, 'clearing broadcasts nothing');
});

test('dragging across the uPlot chart is the brush', async () => {
  const before = broadcasts.length;
  const over = $('.u-over');
  assert.ok(over, "uPlot's overlay");
  const width = parseFloat(over.style.width);
  assert.ok(width > 100, `plot width ${width}`);
  const at = (x) => ({ clientX: x, clientY: 20, button: 0, bubbles: true, composed: true, movementX: 1, movementY: 0 });
  over.dispatchEvent(new MouseEvent('mouseenter', at(1)));
  over.dispatchEvent(new MouseEvent('mousedown', at(1)));
  over.dispatchEvent(new MouseEvent('mousemove', at(width / 2)));
  over.dispatchEvent(new MouseEvent('mousemove', at(width / 2 + 1)));
  document.dispatchEvent(new MouseEvent('mouseup', at(width / 2 + 1)));
  await until('a broadcast', () => broadcasts.length > before);
  const ctx = broadcasts.at(-1);
  assert.equal(ctx.type, 'fdc3.timeRange');
  const from = Date.parse(ctx.startTime);
  const to = Date.parse(ctx.endTime);
  // From the chart's left edge (the hour's first bucket) to about its middle.
  const [h] = backend.calls.filter((c) => c.path === '/api/hits/histogram').slice(-1);
  const first = Math.floor(num(h, 'from') / 30_000) * 30_000;
  assert.equal(from, first);
  assert.ok(Math.abs(to - from - 30 * MIN) <= 2 * MIN, `${ctx.startTime}–${ctx.endTime}`);
  assert.equal((to - from) % 30_000, 0);
  assert.ok($('.chip.brush'));
  const sel = $('.u-select');
  assert.ok(parseFloat(sel.style.width) > 0, 'the span stays marked');
  $('.chip.brush button').click();
  await settle();
  assert.equal(parseFloat($('.u-select').style.width), 0, 'cleared: unmarked');
});

test('hovering the chart names the bucket under the pointer and its count', async () => {
  const over = $('.u-over');
  const width = parseFloat(over.style.width);
  const [h] = backend.calls.filter((c) => c.path === '/api/hits/histogram').slice(-1);
  const first = Math.floor(num(h, 'from') / 30_000) * 30_000;
  const end = first + Math.ceil((num(h, 'to') - first) / 30_000) * 30_000;
  // The greeting hit of 5 minutes ago, near the right edge of its 30 s bar.
  const at = NOW - 5 * MIN;
  const start = Math.floor(at / 30_000) * 30_000;
  const x = ((start + 27_000 - first) / (end - first)) * width;
  over.dispatchEvent(new MouseEvent('mouseenter', { clientX: x, clientY: 30 }));
  over.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: 30, movementX: 1 }));
  await settle(30);
  assert.equal($('.readout').hidden, false);
  const hms = (t) => iso(t).slice(11, 19);
  // (A date comes first when the bucket is not today's.)
  assert.ok(text('.readout').endsWith(`${hms(start)}–${hms(start + 30_000)} · 1 hit`), text('.readout'));
  over.dispatchEvent(new MouseEvent('mouseleave', { clientX: x, clientY: 30 }));
  await settle(30);
  assert.equal($('.readout').hidden, true);
});

test('a received fdc3.timeRange is shown, fixed, and not broadcast back', async () => {
  await until('the hour', () => total() === '10');
  const before = broadcasts.length;
  const mark = backend.calls.length;
  const from = NOW - 4 * HOUR;
  const to = NOW - 2 * HOUR;
  send({ type: 'fdc3.timeRange', startTime: iso(from), endTime: iso(to) });
  await until('the received range', () => total() === '4');
  const [h] = backend.since(mark, '/api/hits/histogram');
  assert.deepEqual([num(h, 'from'), num(h, 'to')], [from, to]);
  const [p] = backend.since(mark, '/api/hits/pages');
  assert.deepEqual([num(p, 'from'), num(p, 'to')], [from, to]);
  assert.deepEqual(pageRows(), [['old', '4']]);
  assert.ok($('.chip.fixed'), 'a chip says the range came from a linked widget');
  assert.ok($$('[data-preset]').every((b) => b.getAttribute('aria-pressed') === 'false'), 'no preset: the range is fixed');
  await settle(100);
  assert.equal(broadcasts.length, before, 'nothing broadcast back');

  // The same range again changes nothing; what this panel sent is not taken back either.
  const mark2 = backend.calls.length;
  send({ type: 'fdc3.timeRange', startTime: iso(from), endTime: iso(to) });
  await settle();
  assert.equal(backend.since(mark2, '/api/hits/histogram').length, 0);
  assert.equal(broadcasts.length, before);

  // A brush inside it is the user's: broadcast.
  const r = await el.brushed(from + 10 * MIN, from + 20 * MIN);
  assert.equal(broadcasts.length, before + 1);
  assert.deepEqual(broadcasts.at(-1), { type: 'fdc3.timeRange', startTime: iso(r.from), endTime: iso(r.to) });
  const mark3 = backend.calls.length;
  send(broadcasts.at(-1));
  await settle();
  assert.equal(backend.since(mark3, '/api/hits/histogram').length, 0, 'its own range coming back is no news');

  // ✕ on the linked range: back to the preset, sliding again.
  $('.chip.fixed button').click();
  await until('the hour', () => total() === '10');
  assert.equal($('[data-preset="1h"]').getAttribute('aria-pressed'), 'true');
  assert.equal($('.chip.fixed'), null);
  assert.equal($('.chip.brush'), null);
});

test('a page filters the histogram, and back to every page', async () => {
  const mark = backend.calls.length;
  const row = $$('.page-row').find((b) => b.dataset.page === 'home');
  row.click();
  await until('home only', () => total() === '3');
  const [h] = backend.since(mark, '/api/hits/histogram');
  assert.equal(h.params.page, 'home');
  assert.equal(num(h, 'to') - num(h, 'from'), HOUR);
  assert.equal($$('.page-row').find((b) => b.dataset.page === 'home').getAttribute('aria-pressed'), 'true');
  assert.match(text('.scope'), /on home/);
  assert.equal(text('.chip.page .v'), 'home');
  assert.deepEqual(window.tessera.state, { preset: '1h', page: 'home' });
  assert.equal(pageRows().length, 3, 'the list still shows every page');

  const mark2 = backend.calls.length;
  $('.chip.page button').click();
  await until('every page', () => total() === '10');
  assert.equal(backend.since(mark2, '/api/hits/histogram')[0].params.page, undefined);
  assert.deepEqual(window.tessera.state, { preset: '1h', page: null });
});

test('the live poll asks after the last id and new hits arrive', async () => {
  const lives = backend.calls.filter((c) => c.path === '/api/hits/live');
  assert.deepEqual(lives[0].params, {}, 'first: where the hits are now');
  assert.deepEqual(lives[1].params, { after: '9', wait: '0' }, 'then: the latest five stored, at once');
  assert.deepEqual(lives[2].params, { after: '14', wait: '10' }, 'then: after the last id, waiting');
  assert.equal(text('.live-text'), 'Live');
  // The latest five stored before the start are listed, newest first, and not counted again.
  assert.equal($$('.hit').length, 5);
  assert.equal(total(), '10');

  const mark = backend.calls.length;
  const hit = backend.add('pricing', Date.now(), 'carol', 'https://example.com/');
  await until('the hit in the latest list', () => text('.hit-list').includes('pricing'));
  assert.match(text('.hit time'), /^\d\d:\d\d:\d\d$/);
  assert.equal($('.hit time').getAttribute('datetime'), iso(hit.at));
  assert.equal(text('.hit .page'), 'pricing');
  assert.equal(text('.hit .user'), 'carol');
  assert.match($('.hit').title, /from https:\/\/example\.com\//);
  assert.equal(total(), '11', 'counted in the histogram at once');
  // The histogram and the pages are fetched again (at most once a second).
  await until('the refreshed pages', () => pageRows().some(([page]) => page === 'pricing'));
  assert.equal(total(), '11', 'not counted twice');
  assert.ok(backend.since(mark, '/api/hits/histogram').length <= 2);

  backend.add('home', Date.now());
  backend.add('greeting', Date.now(), 'alice');
  await until('two more', () => total() === '13');
  assert.deepEqual($$('.hit .page').map((s) => s.textContent).slice(0, 3), ['greeting', 'home', 'pricing']);
  const afters = backend.since(mark, '/api/hits/live').map((c) => c.params.after);
  assert.ok(afters.includes(String(hit.id)), `after=${hit.id} among ${afters}`);
});

test('errors: the backend’s envelope message, plain text, a live feed reconnecting', async () => {
  backend.fail({ status: 422, json: true, body: { code: 'invalid_field', message: 'from: must be before to', field: 'from' } });
  $('[data-preset="15m"]').click();
  await until('the problem', () => !$('.problem').hidden);
  assert.match(text('.problem'), /Cannot load the hits: from: must be before to/);
  assert.equal($('.problem').getAttribute('role'), 'alert');

  backend.fail({ status: 502, json: false, body: "the widget's backend at http://127.0.0.1:7430/ is not answering: connection refused" });
  $('.problem .retry').click();
  await until('the 502', () => /not answering/.test(text('.problem')));
  assert.match(text('.problem'), /backend at http:\/\/127\.0\.0\.1:7430\/ is not answering: connection refused/);

  backend.fail(null);
  $('.problem .retry').click();
  await until('recovered', () => $('.problem').hidden);

  backend.failLive({ status: 502, json: true, body: { code: 'bad_gateway', message: 'the sidecar of tessera.tracker is unreachable' } });
  backend.add('home', Date.now()); // wakes the held poll; its next call fails
  await until('reconnecting', () => text('.live-text') === 'Reconnecting…', 4000);
  assert.match($('.live').title, /sidecar of tessera\.tracker is unreachable/);
  backend.failLive(null);
  await until('live again', () => text('.live-text') === 'Live', 5000);
  $('[data-preset="1h"]').click();
});

test('the saved preset and page come back, also on fdc3Ready', async () => {
  window.tessera.state = { preset: '24h', page: 'old' };
  const mark = backend.calls.length;
  const other = document.createElement('tessera-tracker');
  document.body.append(other);
  try {
    await until('its histogram', () => backend.since(mark, '/api/hits/histogram').length);
    const [h] = backend.since(mark, '/api/hits/histogram');
    assert.equal(num(h, 'to') - num(h, 'from'), 24 * HOUR);
    assert.equal(h.params.page, 'old');
  } finally {
    other.remove();
  }

  // Before the SDK's hello the state reads {}; fdc3Ready brings it.
  const saved = window.tessera.state;
  window.tessera.state = {};
  const late = document.createElement('tessera-tracker');
  document.body.append(late);
  try {
    await settle(50);
    const mark2 = backend.calls.length;
    window.tessera.state = saved;
    window.dispatchEvent(new Event('fdc3Ready'));
    await until('the restored histogram', () => backend.since(mark2, '/api/hits/histogram').length);
    const [h] = backend.since(mark2, '/api/hits/histogram');
    assert.equal(num(h, 'to') - num(h, 'from'), 24 * HOUR);
    assert.equal(h.params.page, 'old');
  } finally {
    late.remove();
  }
});

test('without window.fdc3 a brush says so and nothing breaks', async () => {
  const agent = window.fdc3;
  window.fdc3 = undefined;
  try {
    const r = await el.brushed(NOW - 30 * MIN, NOW - 20 * MIN);
    assert.ok(r);
    assert.match(text('.note'), /FDC3 is not available here/);
  } finally {
    window.fdc3 = agent;
    $('.chip.brush button')?.click();
  }
});

test('removed, it stops polling and listening', async () => {
  await settle(50);
  el.remove();
  await settle(50);
  const mark = backend.calls.length;
  backend.add('home', Date.now());
  await settle(600);
  assert.equal(backend.since(mark, '/api/hits/live').length, 0, 'no more long polls');
  assert.equal(handlers.length, 0, 'the context listener is gone');
  el = null;
});
