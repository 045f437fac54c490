// The long-poll loop on api/hits/live, as the built module exports it (npm
// run build first), against a scripted `fetch`: what it asks, what it hands
// on, how it rides out a failure and a backend that started afresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GlobalRegistrator } from '@happy-dom/global-registrator';

let m;
before(async () => {
  GlobalRegistrator.register({ url: 'http://localhost/' });
  m = await import('../dist/tracker.js');
});
after(() => GlobalRegistrator.unregister());

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const hit = (id, page = 'home') => ({ id, at: 1_700_000_000_000 + id, page, referrer: null, user_agent: null, user: null });

/** Runs the loop over `answers` (one per call, a function of the call's query), then stops it. */
async function run(answers, { recent = false } = {}) {
  const asked = [];
  const got = [];
  const backlog = [];
  const status = [];
  const work = new AbortController();
  let i = 0;
  const fetch = async (url, init) => {
    const q = Object.fromEntries(new URL(String(url), 'widget://tessera.tracker/').searchParams);
    asked.push(q);
    if (i >= answers.length) {
      work.abort();
      throw new DOMException('aborted', 'AbortError');
    }
    return answers[i++](q, init);
  };
  const saved = globalThis.fetch;
  globalThis.fetch = window.fetch = fetch;
  try {
    await m.followHits(work.signal, {
      onHits: (hits) => got.push(hits.map((h) => h.id)),
      onStatus: (p) => status.push(p),
      ...(recent ? { onRecent: (hits) => backlog.push(hits.map((h) => h.id)) } : {}),
    });
  } finally {
    globalThis.fetch = window.fetch = saved;
  }
  return { asked, got, status, backlog };
}

test('starts from the latest id, then asks after each answer’s last, waiting', async () => {
  const r = await run([
    () => json(200, { last: 7, hits: [] }),
    () => json(200, { last: 9, hits: [hit(8), hit(9)] }),
    () => json(200, { last: 10, hits: [hit(10, 'about')] }),
  ]);
  assert.deepEqual(r.asked, [{}, { after: '7', wait: '10' }, { after: '9', wait: '10' }, { after: '10', wait: '10' }]);
  assert.deepEqual(r.got, [[8, 9], [10]]);
  assert.deepEqual(r.status, [null], 'connected once');
});

test('a failure: reconnecting, a pause, then the same after (the outage’s hits still come)', async () => {
  const started = Date.now();
  const r = await run([
    () => json(200, { last: 3, hits: [] }),
    () => new Response("the widget's backend at http://127.0.0.1:7430/ is not answering", { status: 502 }),
    () => json(200, { last: 3, hits: [] }), // where the hits are now: as before
    () => json(200, { last: 5, hits: [hit(4), hit(5)] }),
  ]);
  assert.ok(Date.now() - started >= 1_900, 'waited about 2 s before trying again');
  assert.deepEqual(r.asked, [{}, { after: '3', wait: '10' }, {}, { after: '3', wait: '10' }, { after: '5', wait: '10' }]);
  assert.deepEqual(r.got, [[4, 5]]);
  assert.equal(r.status.length, 3);
  assert.equal(r.status[0], null);
  assert.match(r.status[1], /backend at http:\/\/127\.0\.0\.1:7430\/ is not answering/);
  assert.equal(r.status[2], null, 'live again');
});

test('a backend that started afresh (a lower latest id) is followed from its latest id', async () => {
  const r = await run([
    () => json(200, { last: 500, hits: [] }),
    () => json(422, { code: 'invalid_field', message: 'after: must be 0 to …', field: 'after' }),
    () => json(200, { last: 2, hits: [] }),
    () => json(200, { last: 3, hits: [hit(3)] }),
  ]);
  assert.deepEqual(r.asked.map((q) => q.after ?? null), [null, '500', null, '2', '3']);
  assert.deepEqual(r.got, [[3]]);
  assert.match(r.status[1], /^after: must be 0 to/, 'the envelope’s message');
});

test('at the start, the latest few hits already stored are handed on as recent, not as new', async () => {
  const r = await run(
    [
      () => json(200, { last: 7, hits: [] }),
      () => json(200, { last: 7, hits: [hit(3), hit(4), hit(5), hit(6), hit(7)] }),
      () => json(200, { last: 8, hits: [hit(8)] }),
    ],
    { recent: true },
  );
  assert.deepEqual(r.asked.slice(0, 3), [{}, { after: '2', wait: '0' }, { after: '7', wait: '10' }]);
  assert.deepEqual(r.backlog, [[3, 4, 5, 6, 7]]);
  assert.deepEqual(r.got, [[8]], 'only the hit after the start is new');
});
