// The layout the workspace shows and the server it lives on: save, open,
// clone. Sharing and history dialogs are in layout-sharing.ts and
// layout-history.ts.
import { staleVersion, toShellError, type Backend } from './backend';
import { buttons, el, openDialog } from './dialog';
import { fromDockview } from './dockview-to-layout';
import { carryPanelIds, describeDiff, sameArrangement } from './layout-doc';
import { pasteLinkForm } from './links';
import type { SerializedDockview } from 'dockview-core';
import type { Access, ClonedFrom, DetachedPanel, Draft, LayoutDocument, LayoutSummary, OpenRequest } from './types';

export type { Access, Draft } from './types';

/** Why a write was refused; a stale version says what to do about it. */
const refusal = (e: unknown): string => {
  const r = toShellError(e);
  return r.code === 'stale_version'
    ? `someone saved version ${staleVersion(r) ?? '?'} meanwhile. Open it again to continue.`
    : r.message;
};

const SCOPES: [scope: string, label: string][] = [
  ['all', 'All'],
  ['mine', 'Mine'],
  ['shared', 'Shared with me'],
  ['organisation', 'Organisation'],
  ['deleted', 'Bin'],
];

/** What the session needs of the workspace (the Workspace, or a test's stand-in). */
export interface SessionWorkspace {
  /** The docked panels as dockview saves them. */
  readonly api: { toJSON(): SerializedDockview };
  clear(): void;
  load(doc: LayoutDocument): void;
  /** The pop-out windows. */
  detached(): DetachedPanel[];
}

/** The layout the workspace shows, when it came from (or went to) the server. */
export class LayoutSession {
  id: string | null = null;
  version = 0;
  access: Access = 'owner';
  owner: string | null = null;
  clonedFrom: ClonedFrom | null = null;
  /** The source's version when a clone's source has moved on. */
  sourceNewer: number | null = null;
  /** The document as opened, to tell whether the workspace was changed since. */
  private opened = '';
  /** The server's document as opened (its panel ids). */
  private loaded: LayoutDocument | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly ws: SessionWorkspace,
    private title: string,
    private readonly show: (text: string, error?: boolean) => void,
    private readonly changed: () => void = () => {},
  ) {}

  currentTitle(): string {
    return this.title;
  }

  /** Whether the workspace differs from the version opened or saved. */
  isModified(doc: LayoutDocument = this.document()): boolean {
    return !this.opened || !sameArrangement(doc, JSON.parse(this.opened));
  }

  /** Takes the workspace as it is now as the unmodified state (the demo on start). */
  markClean(): void {
    this.opened = JSON.stringify(this.document());
  }

  /**
   * Puts back work kept as a draft: its layout opened (for its access and
   * history), then the draft's arrangement over it, based on the draft's
   * version, so a save after someone else's is refused, not merged.
   */
  async restoreDraft(d: Draft): Promise<void> {
    if (d.layout) {
      try {
        await this.open(d.layout);
      } catch {
        // Gone or unreachable: the work comes back as a new, unsaved layout.
        this.id = null;
        this.access = 'owner';
      }
    }
    this.ws.clear();
    this.ws.load(d.document);
    this.title = d.title;
    if (d.layout && this.id === d.layout && d.version !== null) this.version = d.version;
    this.changed();
    this.show(`Restored your unsaved work from ${new Date(d.saved_at).toLocaleTimeString()}: Save stores it`);
  }

  /** Saving writes a new version (false: view only, so saving clones first). */
  canEdit(): boolean {
    return this.access !== 'view';
  }

  canShare(): boolean {
    return this.id !== null && (this.access === 'owner' || this.access === 'admin');
  }

  document(): LayoutDocument {
    return { ...fromDockview(this.ws.api.toJSON(), this.title), popouts: this.ws.detached() };
  }

  /**
   * Saves a new version, or creates the layout the first time. A stale
   * version is reported, never overwritten. A layout the user may only view
   * is cloned first: the copy is theirs, with the workspace as it is now.
   */
  async save(message?: string): Promise<void> {
    if (this.id && !this.canEdit()) {
      await this.cloneCurrent();
      return;
    }
    const document = this.document();
    try {
      if (this.id) {
        const saved = await this.backend.layouts.save({
          id: this.id,
          baseVersion: this.version,
          document,
          message: message ?? null,
        });
        this.version = saved.version;
      } else {
        const created = await this.backend.layouts.create({ title: this.title, document });
        this.id = created.id;
        this.version = created.version;
        this.access = 'owner';
      }
      this.opened = JSON.stringify(document);
      this.changed();
      this.show(`Saved “${this.title}” (version ${this.version})`);
    } catch (e) {
      const current = staleVersion(toShellError(e));
      if (this.id && current !== undefined) {
        await this.conflict(current, message);
        return;
      }
      this.show(`Not saved: ${refusal(e)}`, true);
    }
  }

  /**
   * Someone saved a newer version since this one was opened: the person
   * chooses. Reload theirs (dropping these changes), save these changes as
   * a copy of their own, or overwrite, having seen what the other version
   * changed; overwriting writes one more version, so theirs stays in the
   * history. Never a silent merge.
   */
  private async conflict(current: number, message?: string): Promise<void> {
    const id = this.id as string;
    const base = this.version;
    let changes: string[] = [];
    try {
      changes = describeDiff(await this.backend.history.diff({ id, from: base, to: current }));
    } catch {
      changes = ['(what changed could not be fetched)'];
    }
    const d = openDialog('Someone saved a newer version', 'conflict-dialog');
    d.box.append(
      el('p', {}, `You opened version ${base}; version ${current} was saved since. It changed:`),
      el('ul', { className: 'conflict-changes' }, ...(changes.length ? changes : ['nothing you would see']).map((l) => el('li', {}, l))),
      buttons(
        ['Cancel', 'conflict-cancel', d.close],
        ['Reload theirs', 'conflict-reload', () => {
          d.close();
          void this.open(id).then(() => this.show(`Reloaded version ${this.version}; your changes were dropped`));
        }],
        ['Save mine as a copy', 'conflict-copy', () => {
          d.close();
          void this.cloneCurrent();
        }],
        ['Overwrite with mine', 'primary conflict-overwrite', () => {
          d.close();
          this.version = current;
          void this.save(message ?? `overwrote version ${current}`);
        }],
      ),
    );
  }

  async open(id: string): Promise<void> {
    const layout = await this.backend.layouts.get({ id });
    this.ws.clear();
    this.ws.load(layout.document);
    this.id = layout.id;
    this.version = layout.version;
    this.title = layout.title;
    this.access = layout.access;
    this.owner = layout.owner;
    this.clonedFrom = layout.cloned_from ?? null;
    this.sourceNewer = layout.source_has_newer_versions ? (layout.source_version ?? null) : null;
    this.loaded = layout.document;
    this.opened = JSON.stringify(this.document());
    this.changed();
    this.show(this.describe());
  }

  /** One line on what is open: version, whose, what the user may do, a clone's source. */
  describe(): string {
    const parts = [`Opened “${this.title}” (version ${this.version})`];
    if (this.owner && this.access !== 'owner') parts.push(`${this.owner}’s`);
    if (this.access === 'view') parts.push('view only: Save makes your own copy');
    if (this.sourceNewer !== null) parts.push(`its source has a newer version (${this.sourceNewer})`);
    return parts.join(' · ');
  }

  /** Renames the layout (a new version when it is on the server). */
  async rename(title: string): Promise<void> {
    const t = title.trim();
    if (!t || t === this.title) return;
    if (!this.id) {
      this.title = t;
      this.changed();
      this.show(`Renamed to “${t}”: Save stores it`);
      return;
    }
    try {
      const saved = await this.backend.layouts.rename({ id: this.id, baseVersion: this.version, title: t });
      this.title = t;
      this.version = saved.version;
      this.changed();
      this.show(`Renamed to “${t}” (version ${this.version})`);
    } catch (e) {
      this.show(`Not renamed: ${refusal(e)}`, true);
    }
  }

  /** A dialog asking for the layout's new title. */
  chooseTitle(): void {
    if (this.id && !this.canEdit()) {
      this.show('View only: Save a copy to give it your own title', true);
      return;
    }
    const d = openDialog('Rename layout', 'rename-dialog');
    const input = el('input', { type: 'text', className: 'rename-input', value: this.title, maxLength: 200 });
    input.setAttribute('aria-label', 'Layout title');
    const done = () => {
      d.close();
      void this.rename(input.value);
    };
    input.addEventListener('keydown', (e) => e.key === 'Enter' && done());
    d.box.append(input, buttons(['Cancel', '', d.close], ['Rename', 'primary rename-save', done]));
    input.select();
  }

  /** Clones `id` (a layout the user may view) and opens the private copy. */
  async cloneAndOpen(id: string): Promise<void> {
    try {
      const copy = await this.backend.layouts.clone({ id, title: null });
      await this.open(copy.id);
      this.show(`Cloned as “${copy.title}”: this copy is yours to change and share`);
    } catch (e) {
      this.show(`Not cloned: ${toShellError(e).message}`, true);
    }
  }

  /** Clones the open layout, keeping any changes made to the workspace since it was opened. */
  private async cloneCurrent(): Promise<void> {
    if (!this.id) return;
    const edited = this.document();
    const changedSinceOpen = this.isModified(edited);
    try {
      const copy = await this.backend.layouts.clone({ id: this.id, title: null });
      if (changedSinceOpen && this.loaded) {
        // The clone gave every panel a fresh id, in document order: carry the
        // edits over under those ids, so its history compares like with like.
        carryPanelIds(edited, this.loaded, copy.document);
        edited.title = copy.title;
        await this.backend.layouts.save({ id: copy.id, baseVersion: copy.version, document: edited, message: 'changes made before cloning' });
      }
      await this.open(copy.id);
      this.show(`Saved as your own copy, “${copy.title}” (version ${this.version})`);
    } catch (e) {
      this.show(`Not saved: ${toShellError(e).message}`, true);
    }
  }

  /** The layouts the user may open, by scope and title, each to open or clone. */
  /** The Layouts dialog; `openLink` opens a link pasted into it. */
  chooseAndOpen(openLink?: (r: OpenRequest) => void): void {
    const d = openDialog('Layouts', 'layouts-dialog');
    const tabs = el('div', { className: 'scope-tabs', role: 'tablist' });
    const search = el('input', { type: 'search', className: 'layouts-search', placeholder: 'Search by title' });
    search.setAttribute('aria-label', 'Search layouts by title');
    const list = el('ul', { className: 'layouts-list' });
    let scope = 'all';
    let shown = 0;
    const refresh = async () => {
      const asked = ++shown;
      let layouts: LayoutSummary[];
      try {
        layouts = (await this.backend.layouts.list({ scope, search: search.value })).layouts;
      } catch (e) {
        list.replaceChildren(el('li', { className: 'marketplace-empty' }, `Layouts unavailable: ${toShellError(e).message}`));
        return;
      }
      if (asked !== shown) return; // a newer search is on its way
      list.replaceChildren(...layouts.map((l) => this.entry(l, d.close, () => void refresh())));
      list.dataset.scope = scope;
      if (layouts.length === 0) {
        const empty = search.value
          ? `No layouts match “${search.value}”.`
          : scope === 'mine' || scope === 'all'
            ? 'No saved layouts yet: arrange the workspace and press Save.'
            : scope === 'deleted'
              ? 'The bin is empty.'
              : 'Nothing here yet.';
        list.append(el('li', { className: 'marketplace-empty' }, empty));
      }
    };
    for (const [s, label] of SCOPES) {
      const tab = el('button', { type: 'button', className: 'scope-tab', dataset: { scope: s } }, label);
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-selected', String(s === scope));
      tab.addEventListener('click', () => {
        scope = s;
        for (const t of tabs.children) t.setAttribute('aria-selected', String((t as HTMLElement).dataset.scope === s));
        void refresh();
      });
      tabs.append(tab);
    }
    let typing: number | undefined;
    search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = window.setTimeout(() => void refresh(), 200);
    });
    d.box.append(el('div', { className: 'layouts-head' }, tabs, search), list);
    if (openLink) d.box.append(pasteLinkForm(openLink, d.close));
    d.box.append(buttons(['Close', '', d.close]));
    search.focus();
    void refresh();
  }

  /** Moves `l` to the bin; the workspace keeps showing it, as a layout not saved yet. */
  private async remove(l: LayoutSummary): Promise<void> {
    try {
      await this.backend.layouts.delete({ id: l.id });
      if (this.id === l.id) {
        this.id = null;
        this.access = 'owner';
        this.changed();
      }
      this.show(`Moved “${l.title}” to the bin: Layouts… › Bin brings it back within 30 days`);
    } catch (e) {
      this.show(`Not deleted: ${toShellError(e).message}`, true);
    }
  }

  private async undelete(l: LayoutSummary): Promise<void> {
    try {
      await this.backend.layouts.undelete({ id: l.id });
      await this.open(l.id);
      this.show(`Restored “${l.title}” from the bin`);
    } catch (e) {
      this.show(`Not restored: ${toShellError(e).message}`, true);
    }
  }

  private entry(l: LayoutSummary, close: () => void, refresh: () => void): HTMLElement {
    if (l.deleted_at) {
      const info = el('div', { className: 'layout-choice deleted' },
        el('strong', {}, l.title),
        el('span', {}, `deleted ${new Date(l.deleted_at).toLocaleString()} · v${l.version}`),
      );
      const back = el('button', { type: 'button', className: 'layout-undelete', dataset: { layoutId: l.id } }, 'Restore');
      back.addEventListener('click', () => {
        close();
        void this.undelete(l);
      });
      return el('li', { className: 'layout-entry' }, info, back);
    }
    const who = l.access === 'owner' ? 'yours' : `${l.owner}’s`;
    const may = l.access === 'view' ? 'view only' : l.access === 'edit' ? 'you may edit' : l.access;
    const meta = [who, `v${l.version}`, may, l.visibility, new Date(l.updated_at).toLocaleString()];
    if (l.cloned_from) meta.push('a clone');
    const info = el('button', { type: 'button', className: 'layout-choice', dataset: { layoutId: l.id }, title: 'Open' },
      el('strong', {}, l.title),
      el('span', {}, meta.join(' · ')),
    );
    info.addEventListener('click', () => {
      close();
      this.open(l.id).catch((e: unknown) => this.show(`Cannot open: ${toShellError(e).message}`, true));
    });
    const clone = el('button', { type: 'button', className: 'layout-clone', dataset: { layoutId: l.id }, title: 'Make a private copy you can change' }, 'Clone');
    clone.addEventListener('click', () => {
      close();
      void this.cloneAndOpen(l.id);
    });
    const item = el('li', { className: 'layout-entry' }, info, clone);
    if (l.access === 'owner' || l.access === 'admin') {
      const del = el('button', { type: 'button', className: 'layout-delete', dataset: { layoutId: l.id }, title: 'Move to the bin (restorable for 30 days)' }, 'Delete');
      del.addEventListener('click', () => {
        if (del.dataset.confirm !== 'yes') {
          del.dataset.confirm = 'yes';
          del.textContent = 'Sure?';
          return;
        }
        void this.remove(l).then(refresh);
      });
      item.append(del);
    }
    return item;
  }
}
