// Plain functions over layout documents and their diffs (no DOM, no Tauri).
import type { LayoutDiff, LayoutDocument, Panel } from './types';

/** Every panel: in the tree (depth first), then floating, then popped out — the server's order. */
export function panelsOf(doc: LayoutDocument): Omit<Panel, 'type'>[] {
  const out: Omit<Panel, 'type'>[] = [];
  const walk = (n: LayoutDocument['root']) => (n.type === 'widget' ? out.push(n) : n.content.forEach(walk));
  walk(doc.root);
  for (const d of [...(doc.floating ?? []), ...(doc.popouts ?? [])]) out.push(d.panel);
  return out;
}

/**
 * Renames, in `edited`, the panels of `opened` to the ids the server gave the
 * same panels in `fresh` (a clone of `opened`: same panels, same order, new
 * ids). Panels added since `opened` keep theirs.
 */
export function carryPanelIds(edited: LayoutDocument, opened: LayoutDocument, fresh: LayoutDocument): void {
  const renamed = panelsOf(fresh);
  const ids = new Map(panelsOf(opened).map((p, i) => [p.id, renamed[i]?.id ?? p.id]));
  for (const p of panelsOf(edited)) p.id = ids.get(p.id) ?? p.id;
}

/** The server's diff of two documents (`GET /v1/layouts/{id}/diff` answers one). */
export type Diff = LayoutDiff;

/** One line per kind of change, in words. */
export function describeDiff(d: Diff): string[] {
  const lines: string[] = [];
  const names = (ps: { title: string }[]) => ps.map((p) => `“${p.title}”`).join(', ');
  const count = (n: number) => `${n} panel${n === 1 ? '' : 's'}`;
  if (d.title) lines.push(`renamed “${d.title.from}” → “${d.title.to}”`);
  if (d.added.length) lines.push(`added ${names(d.added)}`);
  if (d.removed.length) lines.push(`removed ${names(d.removed)}`);
  if (d.moved.length) lines.push(`moved ${count(d.moved.length)}`);
  for (const r of d.retitled) lines.push(`retitled “${r.from}” → “${r.to}”`);
  for (const r of d.relinked) lines.push(`panel ${r.id}: channel ${r.from ?? 'none'} → ${r.to ?? 'none'}`);
  if (d.restated.length) lines.push(`widget state changed in ${count(d.restated.length)}`);
  return lines.length ? lines : ['sizes or tab order only'];
}

/** Sizes closer than this (in percent) are the same arrangement: the window's pixels round them. */
const SIZE_SLACK = 1;

/**
 * Whether two documents are the same arrangement: equal in everything, with
 * sizes allowed to differ by the rounding a window's pixels bring (so a
 * layout opened and laid out is not "modified").
 */
export function sameArrangement(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameArrangement(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    if (ka.join('\u0000') !== kb.join('\u0000')) return false;
    return ka.every((k) => {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (k === 'size' && typeof x === 'string' && typeof y === 'string') {
        return Math.abs(parseFloat(x) - parseFloat(y)) <= SIZE_SLACK;
      }
      return sameArrangement(x, y);
    });
  }
  return a === b;
}
