// Smoke test of the built module (npm run build first) in happy-dom: a fake
// `fetch` answers api/* as tessera-market-data's contract says, a fake
// `window.fdc3` records broadcasts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GlobalRegistrator } from '@happy-dom/global-registrator';

const T0 = '2025-01-02T15:00:00Z';
const q = (symbol, name, previous_close, last) => ({
  symbol, name, exchange: 'NASDAQ', currency: 'USD', sector: 'Technology',
  last, previous_close, change: Math.round((last - previous_close) * 100) / 100,
  change_pct: Math.round(((last / previous_close) - 1) * 10000) / 100, time: T0,
});
const instruments = [
  q('AAPL', 'Apple Inc.', 100, 101), // +1 %
  q('MSFT', 'Microsoft Corp.', 100, 98), // -2 %
  q('NVDA', 'NVIDIA Corp.', 100, 103), // +3 %
  q('AMZN', 'Amazon.com Inc.', 100, 99.5), // -0.5 %
  q('GOOGL', 'Alphabet Inc.', 100, 100.2), // +0.2 %
  q('META', 'Meta Platforms Inc.', 100, 97), // -3 %
  q('TSLA', 'Tesla Inc.', 100, 100.5), // +0.5 %
  q('JPM', 'JPMorgan Chase & Co.', 100, 99.9), // -0.1 %
];

let backendUp = false;
let tickSeq = 100;
const pendingTicks = [];
const calls = [];

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

async function fakeFetch(url, init) {
  calls.push(String(url));
  const u = new URL(String(url), 'widget://tessera.movers/');
  if (!backendUp) return new Response('the widget\'s backend at http://127.0.0.1:7420/ is not answering', { status: 502 });
  if (u.pathname === '/api/instruments') return json(200, { instruments });
  if (u.pathname === '/api/ticks') {
    if (!u.searchParams.has('after')) return json(200, { seq: tickSeq, ticks: [] });
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

const broadcasts = [];
let el;

before(async () => {
  GlobalRegistrator.register({ url: 'http://localhost/', width: 800, height: 600 });
  globalThis.fetch = fakeFetch;
  window.fetch = fakeFetch;
  window.fdc3 = {
    broadcast: async (ctx) => void broadcasts.push(ctx),
    getCurrentChannel: async () => ({ id: 'red', type: 'user' }),
    addEventListener: async () => ({ unsubscribe: async () => {} }),
  };
  await import('../dist/movers.js');
  await customElements.whenDefined('tessera-movers');
  el = document.createElement('tessera-movers');
  document.body.append(el);
});

after(async () => {
  el?.remove();
  await new Promise((r) => setTimeout(r, 20));
  await GlobalRegistrator.unregister();
});

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));
const text = (root = el.shadowRoot) => root.textContent.replace(/\s+/g, ' ').trim();
const list = (id) => [...el.shadowRoot.querySelectorAll(`section[aria-labelledby="${id}-title"] button.row .sym`)].map((s) => s.textContent);

test('defined once under the manifest tag', () => {
  assert.ok(customElements.get('tessera-movers'));
  assert.ok(el.shadowRoot, 'renders into its shadow root');
});

test('names a backend that does not answer, then recovers', async () => {
  await settle();
  assert.match(text(), /Cannot load the instruments.*502.*not answering.*Trying again/);
  backendUp = true;
  el.shadowRoot.querySelector('button.retry').click();
  await settle();
  assert.match(text(), /Top gainers.*Top losers/);
});

test('gainers and losers by change %', () => {
  assert.deepEqual(list('gainers'), ['NVDA', 'AAPL', 'TSLA', 'GOOGL']);
  assert.deepEqual(list('losers'), ['META', 'MSFT', 'AMZN', 'JPM']);
  const row = el.shadowRoot.querySelector('button.row');
  assert.match(row.getAttribute('aria-label'), /^NVDA, NVIDIA Corp\.: last 103\.00 USD, up 3\.00%/);
  assert.ok(row.querySelector('.pct.up'));
});

test('ticks re-rank: change % from the previous close', async () => {
  pendingTicks.push(
    { seq: 101, symbol: 'JPM', price: 105, time: '2025-01-02T15:00:01Z' }, // +5 %: top gainer
    { seq: 102, symbol: 'NVDA', price: 90, time: '2025-01-02T15:00:02Z' }, // -10 %: top loser
    { seq: 103, symbol: 'ZZZZ', price: 1, time: '2025-01-02T15:00:03Z' }, // unknown: ignored
  );
  await settle(800);
  assert.deepEqual(list('gainers'), ['JPM', 'AAPL', 'TSLA', 'GOOGL']);
  assert.deepEqual(list('losers'), ['NVDA', 'META', 'MSFT', 'AMZN']);
  assert.match(text(), /NVDA.*90\.00.*−10\.00%|NVDA.*90\.00.*-10\.00%/);
  assert.ok(calls.some((c) => /api\/ticks\?after=100&wait=10/.test(c)), calls.join(' '));
});

test('rows keep their places under the pointer, and re-rank when it leaves', async () => {
  const lists = el.shadowRoot.querySelector('.lists');
  lists.dispatchEvent(new PointerEvent('pointerenter'));
  await settle();
  pendingTicks.push({ seq: 104, symbol: 'GOOGL', price: 120, time: '2025-01-02T15:00:04Z' }); // +20 %
  await settle(800);
  assert.deepEqual(list('gainers'), ['JPM', 'AAPL', 'TSLA', 'GOOGL'], 'held while the pointer is over them');
  assert.match(text(), /GOOGL.*120\.00/, 'the numbers still move');
  lists.dispatchEvent(new PointerEvent('pointerleave'));
  await settle();
  assert.deepEqual(list('gainers'), ['GOOGL', 'JPM', 'AAPL', 'TSLA']);
});

test('selecting a row broadcasts its fdc3.instrument', async () => {
  const row = [...el.shadowRoot.querySelectorAll('button.row')].find((b) => b.querySelector('.sym').textContent === 'META');
  row.click();
  await settle();
  assert.deepEqual(broadcasts.at(-1), { type: 'fdc3.instrument', id: { ticker: 'META' }, name: 'Meta Platforms Inc.' });
  const again = [...el.shadowRoot.querySelectorAll('button.row')].find((b) => b.querySelector('.sym').textContent === 'META');
  assert.equal(again.getAttribute('aria-current'), 'true');
  assert.equal(again.tagName, 'BUTTON', 'a native button: Enter and Space select it too');
});
