// Server answers and a workspace stand-in for the dialog tests.
import type { SerializedDockview } from 'dockview-core';
import { toDockview } from '../src/layout-to-dockview';
import type { SessionWorkspace } from '../src/layouts';
import type { DetachedPanel, Layout, LayoutDocument, LayoutSummary, Saved, VersionDiff, VersionInfo } from '../src/types';

const AT = '2026-03-01T10:00:00Z';

/** A document with one stack of clock panels. */
export function doc(title: string, ...ids: string[]): LayoutDocument {
  return {
    schema: 1,
    title,
    root: {
      type: 'row',
      content: [
        {
          type: 'stack',
          active: 0,
          content: ids.map((id) => ({ type: 'widget' as const, id, widget: 'tessera.clock', title: id, state: {}, channel: null })),
        },
      ],
    },
    floating: [],
    popouts: [],
  };
}

export function summary(id: string, title: string, more: Partial<LayoutSummary> = {}): LayoutSummary {
  return {
    id,
    title,
    owner: 'alice',
    version: 1,
    visibility: 'private',
    access: 'owner',
    widgets: ['tessera.clock'],
    created_at: AT,
    updated_at: AT,
    ...more,
  };
}

export function layout(id: string, title: string, version: number, document: LayoutDocument, more: Partial<LayoutSummary> = {}): Layout {
  return { ...summary(id, title, { version, ...more }), document, source_has_newer_versions: false };
}

export const saved = (id: string, version: number): Saved => ({ id, version, updated_at: AT });

export const version = (v: number, author: string, message: string | null = null): VersionInfo => ({
  version: v,
  title: 'Desk',
  author,
  message,
  created_at: AT,
});

/** A diff that added one panel. */
export function added(id: string, from: number, to: number, title: string): VersionDiff {
  return {
    layout: id,
    from,
    to,
    added: [{ id: 'p9', title, widget: 'tessera.news', place: { parent: '$.root.content[0]', index: 1 } }],
    removed: [],
    moved: [],
    retitled: [],
    relinked: [],
    restated: [],
  };
}

const EMPTY: LayoutDocument = { schema: 1, title: '', root: { type: 'row', content: [] }, floating: [], popouts: [] };

/** The workspace as the session sees it, over dockview's saved form (no DOM docking). */
export class FakeWorkspace implements SessionWorkspace {
  private state: SerializedDockview = toDockview(EMPTY, 1000, 800);
  readonly api = { toJSON: (): SerializedDockview => this.state };
  /** Every document loaded, in order. */
  readonly loaded: LayoutDocument[] = [];

  clear(): void {
    this.state = toDockview(EMPTY, 1000, 800);
  }

  load(d: LayoutDocument): void {
    this.loaded.push(d);
    this.state = toDockview(d, 1000, 800);
  }

  detached(): DetachedPanel[] {
    return [];
  }
}

/** What `show` was told, in order: [text, error]. */
export function shown(): { log: [string, boolean][]; show: (text: string, error?: boolean) => void; last: () => [string, boolean] | undefined } {
  const log: [string, boolean][] = [];
  return { log, show: (text, error) => log.push([text, !!error]), last: () => log[log.length - 1] };
}

/** The element matching `selector`, or a failed test. */
export function $<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

/** Submits a form as pressing its submit button does. */
export function submit(form: HTMLFormElement): void {
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}
