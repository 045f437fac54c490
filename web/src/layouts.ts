// Saving the workspace as a layout on the server, and opening saved ones.
import { invoke } from '@tauri-apps/api/core';
import { fromDockview } from './dockview-to-layout';
import type { LayoutDocument } from './types';
import type { Workspace } from './workspace';

interface Summary {
  id: string;
  title: string;
  owner: string;
  version: number;
  access: string;
  visibility: string;
  updated_at: string;
}

interface Refusal {
  status: number;
  code: string;
  message: string;
  body?: { current_version?: number };
}

/** The layout the workspace shows, when it came from (or went to) the server. */
export class LayoutSession {
  id: string | null = null;
  version = 0;

  constructor(
    private readonly ws: Workspace,
    private title: string,
    private readonly show: (text: string, error?: boolean) => void,
  ) {}

  currentTitle(): string {
    return this.title;
  }

  document(): LayoutDocument {
    return fromDockview(this.ws.api.toJSON(), this.title);
  }

  /** Saves a new version, or creates the layout the first time. A stale version is reported, never overwritten. */
  async save(): Promise<void> {
    const document = this.document();
    try {
      if (this.id) {
        const saved = await invoke<{ version: number }>('layout_save', { id: this.id, baseVersion: this.version, document });
        this.version = saved.version;
      } else {
        const created = await invoke<{ id: string; version: number }>('layout_create', { title: this.title, document });
        this.id = created.id;
        this.version = created.version;
      }
      this.show(`Saved “${this.title}” (version ${this.version})`);
    } catch (e) {
      const r = e as Refusal;
      if (r.code === 'stale_version') {
        this.show(`Not saved: someone saved version ${r.body?.current_version ?? '?'} meanwhile. Open it again to continue.`, true);
      } else {
        this.show(`Not saved: ${r.message ?? String(e)}`, true);
      }
    }
  }

  async open(id: string): Promise<void> {
    const layout = await invoke<{ id: string; title: string; version: number; document: LayoutDocument }>('layout_get', { id });
    this.ws.clear();
    this.ws.load(layout.document);
    this.id = layout.id;
    this.version = layout.version;
    this.title = layout.title;
    this.show(`Opened “${layout.title}” (version ${layout.version})`);
  }

  /** A dialog listing the layouts the user may open. */
  async chooseAndOpen(): Promise<void> {
    let list: Summary[];
    try {
      list = (await invoke<{ layouts: Summary[] }>('layouts_list', { scope: 'all' })).layouts;
    } catch (e) {
      this.show(`Layouts unavailable: ${(e as Refusal).message ?? String(e)}`, true);
      return;
    }
    const back = document.createElement('div');
    back.className = 'modal-back';
    const dialog = document.createElement('div');
    dialog.className = 'modal layouts-dialog';
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-label', 'Open a layout');
    const h = document.createElement('h3');
    h.textContent = 'Open a layout';
    const ul = document.createElement('ul');
    ul.className = 'layouts-list';
    for (const l of list) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'layout-choice';
      b.dataset.layoutId = l.id;
      b.innerHTML = `<strong></strong><span></span>`;
      (b.firstChild as HTMLElement).textContent = l.title;
      (b.lastChild as HTMLElement).textContent = `${l.owner} · v${l.version} · ${l.access} · ${new Date(l.updated_at).toLocaleString()}`;
      b.addEventListener('click', () => {
        back.remove();
        void this.open(l.id);
      });
      li.append(b);
      ul.append(li);
    }
    if (list.length === 0) {
      const li = document.createElement('li');
      li.className = 'marketplace-empty';
      li.textContent = 'No saved layouts yet: arrange the workspace and press Save.';
      ul.append(li);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Close';
    close.addEventListener('click', () => back.remove());
    dialog.append(h, ul, close);
    back.append(dialog);
    document.body.append(back);
  }
}
