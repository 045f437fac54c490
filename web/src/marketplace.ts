// The marketplace list: what the registry offers, filterable, one click to add.
import type { Widget } from './types';

export class Marketplace {
  private widgets: Widget[] = [];

  constructor(
    private readonly list: HTMLUListElement,
    private readonly filter: HTMLInputElement,
    private readonly onAdd: (w: Widget) => void,
    /** Makes an item draggable into the dock. */
    private readonly draggable?: (item: HTMLElement, w: Widget) => void,
  ) {
    filter.addEventListener('input', () => this.render());
  }

  show(widgets: Widget[]): void {
    this.widgets = widgets;
    this.render();
  }

  private render(): void {
    const q = this.filter.value.trim().toLowerCase();
    const shown = this.widgets.filter(
      (w) => !q || w.title.toLowerCase().includes(q) || w.id.includes(q) || w.description.toLowerCase().includes(q),
    );
    this.list.replaceChildren(...shown.map((w) => this.item(w)));
    if (shown.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'marketplace-empty';
      empty.textContent = this.widgets.length === 0
        ? 'No widgets registered yet. Start a sidecar: tessera-sidecar run <folder>'
        : 'No widget matches the filter.';
      this.list.append(empty);
    }
  }

  private item(w: Widget): HTMLLIElement {
    const li = document.createElement('li');
    li.className = 'marketplace-item';
    li.dataset.widgetId = w.id;
    const title = document.createElement('div');
    title.className = 'mi-title';
    title.textContent = w.title;
    const meta = document.createElement('div');
    meta.className = 'mi-meta';
    meta.textContent = `${w.id} · v${w.version}`;
    if (w.state === 'offline') {
      li.classList.add('offline');
      const badge = document.createElement('span');
      badge.className = 'mi-badge';
      badge.textContent = 'offline';
      badge.title = `No heartbeat since ${new Date(w.last_seen).toLocaleTimeString()}`;
      title.append(' ', badge);
    }
    const desc = document.createElement('div');
    desc.className = 'mi-desc';
    desc.textContent = w.description;
    const add = document.createElement('button');
    add.type = 'button';
    add.className = 'mi-add';
    add.textContent = 'Add';
    add.setAttribute('aria-label', `Add ${w.title}`);
    add.disabled = w.state === 'offline';
    add.addEventListener('click', () => this.onAdd(w));
    li.append(title, meta, desc, add);
    if (this.draggable && w.state !== 'offline') {
      li.classList.add('draggable');
      li.title = `Drag ${w.title} into the workspace, or press Add`;
      this.draggable(li, w);
    }
    return li;
  }
}
