// After `vite build`: the widget's entry (widget.toml) is the one file in
// dist/, a self-contained ES module (no bare imports left for a frame that
// has no import map), defining the element of widget.toml's tag once.
import { readFileSync, readdirSync } from 'node:fs';

const toml = readFileSync('widget.toml', 'utf8');
const field = (name) => toml.match(new RegExp(`^${name}\\s*=\\s*"([^"]+)"`, 'm'))?.[1];
const entry = field('entry');
const tag = field('tag');
const problems = [];

const files = readdirSync('dist', { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile())
  .map((d) => `${d.parentPath ?? d.path}/${d.name}`.replace(/^dist\//, 'dist/'));
if (files.length !== 1 || files[0] !== entry) problems.push(`dist/ holds ${JSON.stringify(files)}, not just ${entry}`);

const code = readFileSync(entry, 'utf8');
const bare = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)]
  .map((m) => m[1])
  .filter((s) => !s.startsWith('./') && !s.startsWith('../') && !s.startsWith('/'));
if (bare.length) problems.push(`${entry} still imports ${[...new Set(bare)].join(', ')}`);
const relative = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
if (relative.length) problems.push(`${entry} imports other files: ${relative.join(', ')}`);

const defines = code.match(/customElements\.define\(/g)?.length ?? 0;
if (defines !== 1) problems.push(`${entry} calls customElements.define ${defines} times, not once`);
if (!code.includes(`"${tag}"`) && !code.includes(`'${tag}'`) && !code.includes(`\`${tag}\``)) problems.push(`${entry} never names the tag ${tag}`);

if (problems.length) {
  console.error(`check-dist: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`check-dist: ${entry} ok (${code.length} bytes, one module, defines <${tag}> once, no bare imports)`);
