// Smoke test of the built module (npm run build first) in happy-dom: a fake
// `window.fdc3` delivers fdc3.instrument contexts, a fake `fetch` answers
// api/* as tessera-market-data's contract says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GlobalRegistrator } from '@happy-dom/global-registrator';

const details = {
  symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NASDAQ', currency: 'USD', sector: 'Technology',
  last: 229.87, previous_close: 228.75, change: 1.12, change_pct: 0.49, time: '2025-01-02T15:00:00Z',
  description: 'Designs phones and computers.', isin: 'US0378331005',
  open: 228.9, high: 230.5, low: 227.8, volume: 45_213_004, market_cap: 3_480_000_000_000,
};

let backendUp = true;
let tickSeq = 10;
const pendingTicks = [];
const calls = [];

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

async function fakeFetch(url, init) {
  calls.push(String(url));
  if (!backendUp) throw new TypeError('Load failed');
  const u = new URL(String(url), 'widget://tessera.instrument-details/');
  if (u.pathname === '/api/instruments/AAPL') return json(200, details);
  if (u.pathname.startsWith('/api/instruments/')) {
    return json(404, { code: 'not_found', message: `no instrument "${decodeURIComponent(u.pathname.split('/').pop())}"` });
  }
  if (u.pathname === '/api/ticks') {
    if (!u.searchParams.has('after')) return json(200, { seq: tickSeq, ticks: [] });
    // Hold the poll briefly (the real one waits up to 10 s), aborting with the caller.
    await new Promise((resolve, reject) => {
      const t = setTimeout(resolve, 50);
      init?.signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
    const ticks = pendingTicks.splice(0);
    if (ticks.length) tickSeq = ticks[ticks.length - 1].seq;
    return json(200, { seq: tickSeq, ticks });
  }
  return json(404, { code: 'not_found', message: 'no such route' });
}

const handlers = [];
let el;

before(async () => {
  GlobalRegistrator.register({ url: 'http://localhost/', width: 800, height: 600 });
  globalThis.fetch = fakeFetch;
  window.fetch = fakeFetch;
  window.fdc3 = {
    addContextListener: async (type, h) => {
      assert.equal(type, 'fdc3.instrument');
      handlers.push(h);
      return { unsubscribe: async () => {} };
    },
  };
  window.tessera = { state: {}, getState() { return this.state; }, setState(s) { this.state = s; } };
  await import('../dist/instrument-details.js');
  el = document.createElement('tessera-instrument-details');
  document.body.append(el);
  await el.updateComplete;
});

after(async () => {
  el?.remove();
  await GlobalRegistrator.unregister();
});

const text = () => el.shadowRoot.textContent.replace(/\s+/g, ' ');
const settle = async (ms = 30) => {
  await new Promise((r) => setTimeout(r, ms));
  await el.updateComplete;
};
const send = (ticker, name) => handlers.forEach((h) => h({ type: 'fdc3.instrument', id: { ticker }, name }));

test('defined once under the manifest tag', () => {
  assert.equal(customElements.get('tessera-instrument-details'), el.constructor);
  assert.equal(handlers.length, 1, 'one fdc3.instrument listener');
});

test('empty state before a selection', () => {
  assert.match(text(), /Select an instrument in a linked watchlist/);
});

test('shows the instrument a context names', async () => {
  send('AAPL', 'Apple Inc.');
  await settle();
  const t = text();
  for (const s of ['Apple Inc.', 'AAPL', 'NASDAQ', 'USD', 'Technology', 'US0378331005', 'Designs phones', '$229.87', '+1.12', '+0.49%', '45.2M', '$3.48T']) {
    assert.ok(t.includes(s), `${s} in ${t}`);
  }
  assert.ok(el.shadowRoot.querySelector('.change.up'), 'a rise is coloured up');
  assert.deepEqual(window.tessera.state, { instrument: { type: 'fdc3.instrument', id: { ticker: 'AAPL' }, name: 'Apple Inc.' } });
});

test('follows its ticks: last, change and change % from the previous close', async () => {
  pendingTicks.push(
    { seq: 11, symbol: 'MSFT', price: 1, time: '2025-01-02T15:00:01Z' },
    { seq: 12, symbol: 'AAPL', price: 226.46, time: '2025-01-02T15:00:02Z' },
  );
  await settle(700);
  const t = text();
  assert.ok(t.includes('$226.46'), t);
  // (226.46 - 228.75) / 228.75 = -1.0011 %
  assert.ok(/−2\.29|-2\.29/.test(t) && /−1\.00%|-1\.00%/.test(t), t);
  assert.ok(el.shadowRoot.querySelector('.change.down'), 'a fall is coloured down');
  assert.ok(t.includes('226.46') && /Low\s*226\.46/.test(t), `low widens: ${t}`);
  assert.ok(calls.some((c) => /api\/ticks\?after=10&wait=10/.test(c)), calls.join(' '));
});

test('names an unknown symbol', async () => {
  send('NOPE');
  await settle();
  assert.match(text(), /Unknown instrument “NOPE”: no instrument "NOPE"/);
  assert.ok(el.shadowRoot.querySelector('[role=alert]'));
});

test('names a backend that does not answer', async () => {
  backendUp = false;
  send('AAPL');
  await settle();
  assert.match(text(), /Cannot show AAPL.*not answering.*Trying again/);
  backendUp = true;
  el.shadowRoot.querySelector('button').click();
  await settle();
  assert.match(text(), /Apple Inc\./);
});
