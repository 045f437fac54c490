#!/usr/bin/env node
// Prints what run-suite.mjs wrote in DIR: passes per area of the FDC3
// conformance suite, for the whole suite run at once ("All") and for each
// pack run on its own, then every failure with its message.
//
//   node summarize.mjs DIR [--json]
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const asJson = process.argv.includes('--json');
// The suite's 83 automated tests (FDC3 v2.2.3) by area, keyed by the
// top-level describe() title, which is also the pack's name.
const AREAS = [
  ['Basic', /^fdc3\.basic/i, 10],
  ['Open', /^fdc3\.open$/i, 7],
  ['User Channels', /^fdc3\.userChannels$/i, 15],
  ['App Channels', /^fdc3\.appChannels$/i, 10],
  ['Metadata', /^fdc3\.(getInfo|getAppMetadata|findInstances)$/i, 7],
  ['Intents', /^fdc3\.(findIntent|findIntentsByContext|raiseIntent.*)$/i, 34],
];
const TOTAL = AREAS.reduce((n, a) => n + a[2], 0);
const areaOf = title => (AREAS.find(([, re]) => re.test(title)) ?? ['?'])[0];

const runs = fs
  .readdirSync(dir)
  .filter(f => f.endsWith('.json') && f !== 'summary.json')
  .map(f => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
const tally = events => {
  const t = Object.fromEntries(AREAS.map(([a]) => [a, { pass: 0, fail: 0 }]));
  for (const e of events) {
    const a = areaOf(e.suite?.[0] ?? '');
    if (!t[a]) t[a] = { pass: 0, fail: 0 };
    if (e.state === 'pass') t[a].pass++;
    if (e.state === 'fail') t[a].fail++;
  }
  return t;
};
const pad = (s, n) => String(s).padEnd(n);

const all = runs.find(r => r.pack === 'All');
const singles = runs.filter(r => r.pack !== 'All');
const report = { total: TOTAL };
const lines = [];
if (all) {
  const t = tally(all.events);
  const pass = all.events.filter(e => e.state === 'pass').length;
  report.all = { pass, byArea: t, error: all.error };
  lines.push(`Whole suite ("All", one run): ${pass} of ${TOTAL} pass${all.error ? `  (run stopped: ${all.error})` : ''}`);
  for (const [a, , n] of AREAS) lines.push(`  ${pad(a, 14)} ${pad(`${t[a].pass}/${n}`, 6)}`);
}
if (singles.length) {
  const t = tally(singles.flatMap(r => r.events));
  const pass = singles.flatMap(r => r.events).filter(e => e.state === 'pass').length;
  report.packs = { pass, byArea: t, runs: singles.length };
  lines.push(`Each pack on its own (${singles.length} runs, a fresh app each): ${pass} of ${TOTAL} pass`);
  for (const [a, , n] of AREAS) lines.push(`  ${pad(a, 14)} ${pad(`${t[a].pass}/${n}`, 6)}`);
  for (const r of singles) {
    const p = r.events.filter(e => e.state === 'pass').length;
    const f = r.events.filter(e => e.state === 'fail').length;
    lines.push(`    ${pad(r.pack, 34)} pass ${pad(p, 3)} fail ${pad(f, 3)}${r.error ? ` run stopped: ${r.error}` : ''}`);
  }
}
const failures = run =>
  run.events
    .filter(e => e.state === 'fail')
    .map(e => `  [${e.suite.join(' > ')}] ${e.title}${e.type === 'hook' ? ' (hook)' : ''}\n      ${e.error.replace(/\s+/g, ' ').slice(0, 400)}`);
if (all) {
  lines.push('', 'Failures in the whole-suite run:');
  lines.push(...failures(all));
}
for (const r of singles) {
  const f = failures(r);
  if (f.length) lines.push('', `Failures when ${r.pack} runs on its own:`, ...f);
}
if (asJson) console.log(JSON.stringify(report, null, 2));
else console.log(lines.join('\n'));
