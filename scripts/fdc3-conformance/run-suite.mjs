#!/usr/bin/env node
// Runs the FDC3 conformance suite (published as Tessera widgets by
// make-widgets.mjs) in the real app, through tauri-driver (WebDriver), and
// writes what mocha reported.
//
//   node run-suite.mjs --app PATH --registry URL --token TOKEN --display :N
//        [--tauri-driver PATH] [--out DIR] [--pack NAME]...
//
// Each --pack (default: "All") is a name of the suite's drop-down ("All",
// "fdc3.basicCL1", "fdc3.open", "fdc3.raiseIntent (result)", ...) and runs in
// a fresh app (a new profile, an empty workspace): the harness adds the
// conformance app (fdc3conf.app, appId Conformance1) from the marketplace,
// picks the pack and presses Run, as a person would. It reads the results
// from mocha's runner (the page's global `mocha`: an observer is attached to
// the runner `mocha.run()` returns; nothing of the suite is changed) and
// from the page's report, and writes OUT/PACK.json and a screenshot.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const args = { pack: [] };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  const v = process.argv[++i];
  if (k === 'pack') args.pack.push(v);
  else args[k] = v;
}
const packs = args.pack.length ? args.pack : ['All'];
const out = args.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fdc3conf-'));
fs.mkdirSync(out, { recursive: true });
const driverBin = args['tauri-driver'] ?? 'tauri-driver';
const packTimeoutMs = Number(args['pack-timeout'] ?? 1800) * 1000;
for (const k of ['app', 'registry', 'token', 'display']) {
  if (!args[k]) {
    console.error(`missing --${k}`);
    process.exit(2);
  }
}

const sleep = ms => new Promise(r => setTimeout(r, ms));
const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
class Session {
  constructor(base) {
    this.base = base;
  }
  static async create(url, caps) {
    const r = await fetch(`${url}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capabilities: caps }),
    });
    const v = await r.json();
    if (!r.ok) throw new Error(`session: ${JSON.stringify(v)}`);
    return new Session(`${url}/session/${v.value.sessionId}`);
  }
  async cmd(p, body, method = 'POST') {
    const r = await fetch(`${this.base}/${p}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    const v = await r.json();
    if (!r.ok) throw new Error(`${p}: ${JSON.stringify(v.value ?? v)}`);
    return v.value;
  }
  exec(script) {
    return this.cmd('execute/sync', { script, args: [] });
  }
  top() {
    return this.cmd('frame', { id: null });
  }
  async inFrame(css, script) {
    await this.top();
    const els = await this.cmd('elements', { using: 'css selector', value: css });
    if (!els.length) throw new Error(`no frame ${css}`);
    await this.cmd('frame', { id: { [ELEMENT]: els[0][ELEMENT] } });
    try {
      return await this.exec(script);
    } finally {
      await this.top().catch(() => {});
    }
  }
  async until(what, ms, probe) {
    const end = Date.now() + ms;
    let last = 'not yet';
    for (;;) {
      try {
        const v = await probe();
        if (v !== null && v !== undefined && v !== false) return v;
      } catch (e) {
        last = e.message;
      }
      if (Date.now() > end) throw new Error(`waited ${ms / 1000}s for ${what}; last: ${last}`);
      await sleep(300);
    }
  }
  close() {
    return fetch(this.base, { method: 'DELETE' }).catch(() => {});
  }
}

const FRAME = 'iframe[data-widget="fdc3conf.app"]';
const ADD = 'li[data-widget-id="fdc3conf.app"] .mi-add';

// Attached before Run: records every event of the runner mocha.run() returns.
const OBSERVE = `
  if (!window.mocha) return 'no mocha global';
  if (window.__conf) return 'already';
  const r = (window.__conf = { events: [], ended: false, total: null });
  const orig = mocha.run.bind(mocha);
  mocha.run = (fn) => {
    const runner = orig(fn);
    r.total = runner.total;
    const path = (t) => { const p = []; for (let s = t.parent; s && !s.root; s = s.parent) p.unshift(s.title); return p; };
    runner.on('pass', (t) => r.events.push({ state: 'pass', suite: path(t), title: t.title, ms: t.duration }));
    runner.on('fail', (t, e) => r.events.push({ state: 'fail', type: t.type, suite: path(t), title: t.title,
      ms: t.duration, error: String((e && e.message) || e), stack: String((e && e.stack) || '').split('\\n').slice(0, 6).join('\\n') }));
    runner.on('pending', (t) => r.events.push({ state: 'pending', suite: path(t), title: t.title }));
    runner.on('end', () => { r.ended = true; });
    return runner;
  };
  return 'ok';`;

async function runPack(pack) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fdc3conf-profile-'));
  const port = await freePort();
  const nativePort = await freePort();
  const env = {
    ...process.env,
    DISPLAY: args.display,
    TESSERA_REGISTRY_URL: args.registry,
    TESSERA_USER_TOKEN: args.token,
    WEBKIT_DISABLE_COMPOSITING_MODE: '1',
    XDG_DATA_HOME: path.join(profile, 'data'),
    XDG_CONFIG_HOME: path.join(profile, 'config'),
    XDG_CACHE_HOME: path.join(profile, 'cache'),
  };
  delete env.WAYLAND_DISPLAY;
  const log = fs.openSync(path.join(out, `${safe(pack)}.app.log`), 'w');
  const driver = spawn(driverBin, ['--port', String(port), '--native-port', String(nativePort)], {
    env,
    stdio: ['ignore', log, log],
  });
  let session;
  const started = Date.now();
  try {
    await waitPort(port, 30000);
    session = await Session.create(`http://127.0.0.1:${port}`, {
      alwaysMatch: { 'tauri:options': { application: args.app, args: ['--empty'] } },
    });
    await session.until('the shell to start', 90000, () =>
      session.exec('return document.body.dataset.ready === "true"')
    );
    await session.until('the conformance app in the marketplace', 90000, () =>
      session.exec(`const b = document.querySelector('${ADD}'); if (!b) return false; b.click(); return true;`)
    );
    await session.until('its frame to load the suite', 90000, () =>
      session.inFrame(
        FRAME,
        `const s = document.getElementById('testSuite'); return !!(s && s.options.length && window.mocha && window.fdc3);`
      )
    );
    const observed = await session.inFrame(FRAME, OBSERVE);
    if (observed !== 'ok') throw new Error(`observer: ${observed}`);
    const picked = await session.inFrame(
      FRAME,
      `const s = document.getElementById('testSuite');
       const i = [...s.options].findIndex(o => o.innerHTML === ${JSON.stringify(pack)});
       if (i < 0) return 'no pack ' + ${JSON.stringify(pack)} + ' among ' + [...s.options].map(o => o.innerHTML).join(', ');
       s.selectedIndex = i;
       document.getElementById('runButton').click();
       return 'ok';`
    );
    if (picked !== 'ok') throw new Error(picked);
    console.error(`[${pack}] running`);
    let lastCount = -1;
    const result = await session.until(`the pack ${pack} to end`, packTimeoutMs, async () => {
      const v = await session.inFrame(FRAME, `const r = window.__conf; return r ? { ended: r.ended, n: r.events.length, total: r.total } : null`);
      if (v && v.n !== lastCount) {
        lastCount = v.n;
        console.error(`[${pack}] ${v.n}/${v.total ?? '?'} done`);
      }
      return v && v.ended ? v : null;
    });
    const data = await session.inFrame(
      FRAME,
      `return { total: window.__conf.total, events: window.__conf.events,
        stats: document.getElementById('mocha-stats') ? document.getElementById('mocha-stats').innerText : null }`
    );
    await sleep(500);
    shot(`${safe(pack)}`);
    const panels = await session
      .exec(`return [...document.querySelectorAll('iframe[data-widget]')].map(f => f.dataset.widget)`)
      .catch(() => []);
    const record = { pack, seconds: Math.round((Date.now() - started) / 1000), panelsOpenAtEnd: panels, ...data };
    void result;
    fs.writeFileSync(path.join(out, `${safe(pack)}.json`), JSON.stringify(record, null, 2));
    return record;
  } catch (e) {
    shot(`${safe(pack)}-error`);
    const record = { pack, error: e.message, events: [] };
    try {
      const partial = await session?.inFrame(FRAME, 'return window.__conf || null');
      if (partial) Object.assign(record, { total: partial.total, events: partial.events });
    } catch {}
    fs.writeFileSync(path.join(out, `${safe(pack)}.json`), JSON.stringify(record, null, 2));
    return record;
  } finally {
    if (session) await session.close();
    driver.kill('SIGTERM');
    await sleep(1500);
    if (driver.exitCode === null) driver.kill('SIGKILL');
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function safe(s) {
  return s.replace(/[^A-Za-z0-9.-]+/g, '_');
}
function shot(name) {
  try {
    execFileSync('import', ['-window', 'root', path.join(out, `${name}.png`)], { env: { ...process.env, DISPLAY: args.display } });
  } catch {}
}
async function waitPort(port, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise(r => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`tauri-driver did not listen on ${port}`);
    await sleep(100);
  }
}

const results = [];
for (const p of packs) {
  const r = await runPack(p);
  const pass = r.events.filter(e => e.state === 'pass').length;
  const fail = r.events.filter(e => e.state === 'fail').length;
  console.log(`${p}\tpassed ${pass}\tfailed ${fail}\tmocha total ${r.total ?? '?'}${r.error ? '\tERROR ' + r.error : ''}`);
  results.push(r);
}
fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(results.map(r => ({ pack: r.pack, total: r.total, error: r.error,
  passed: r.events.filter(e => e.state === 'pass').map(e => e.title),
  failed: r.events.filter(e => e.state === 'fail').map(e => ({ title: e.title, type: e.type, error: e.error })) })), null, 2));
console.error(`results in ${out}`);
