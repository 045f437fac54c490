// The marketplace: a catalogue of what the registry offers. Each widget
// shows its icon, title, publisher, version, health, description and
// interop contract (contexts it listens to and broadcasts, intents it
// handles); search covers all of that, and "Works with" keeps the widgets
// that speak a context type. Add by click, or drag into the dock.
import { widgetUrl } from './backend';
import type { Widget } from './types';

/**
 * A widget's interop contract with every list there: the registry's schema
 * lets a list be left out when empty (the registry leaves out `intents`).
 */
export function contractOf(w: Widget): { listens: string[]; broadcasts: string[]; intents: { name: string; contexts: string[] }[] } {
  const i = w.interop;
  return {
    listens: i.listens ?? [],
    broadcasts: i.broadcasts ?? [],
    intents: (i.intents ?? []).map((d) => ({ name: d.name, contexts: d.contexts ?? [] })),
  };
}

/** Every context type some widget listens to or broadcasts, sorted. */
export function contextTypes(widgets: Widget[]): string[] {
  const all = new Set<string>();
  for (const w of widgets) {
    const c = contractOf(w);
    for (const t of [...c.listens, ...c.broadcasts]) all.add(t);
    for (const i of c.intents) for (const t of i.contexts) all.add(t);
  }
  return [...all].sort();
}

/** Whether the widget matches every word of the query and speaks `context` (if given). */
export function matches(w: Widget, query: string, context: string): boolean {
  const { listens, broadcasts, intents } = contractOf(w);
  if (context) {
    const speaks = [...listens, ...broadcasts, ...intents.flatMap((i) => i.contexts)];
    if (!speaks.includes(context)) return false;
  }
  const text = [
    w.title,
    w.id,
    w.publisher,
    w.description,
    ...listens,
    ...broadcasts,
    ...intents.map((i) => i.name),
  ]
    .join(' ')
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

export class Marketplace {
  private widgets: Widget[] = [];
  private readonly open = new Set<string>();

  constructor(
    private readonly list: HTMLUListElement,
    private readonly filter: HTMLInputElement,
    private readonly onAdd: (w: Widget) => void,
    /** Makes an item draggable into the dock. */
    private readonly draggable?: (item: HTMLElement, w: Widget) => void,
    private readonly worksWith?: HTMLSelectElement,
  ) {
    filter.addEventListener('input', () => this.render());
    worksWith?.addEventListener('change', () => this.render());
  }

  show(widgets: Widget[]): void {
    this.widgets = widgets;
    if (this.worksWith) {
      const chosen = this.worksWith.value;
      const types = contextTypes(widgets);
      this.worksWith.replaceChildren(
        new Option('Works with any context', ''),
        ...types.map((t) => new Option(`Works with ${t}`, t)),
      );
      this.worksWith.value = types.includes(chosen) ? chosen : '';
    }
    this.render();
  }

  private render(): void {
    const q = this.filter.value.trim();
    const context = this.worksWith?.value ?? '';
    const shown = this.widgets.filter((w) => matches(w, q, context));
    this.list.replaceChildren(...shown.map((w) => this.item(w)));
    if (shown.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'marketplace-empty';
      empty.textContent = this.widgets.length === 0
        ? 'No widgets registered yet. Start a sidecar: tessera-sidecar run <folder>'
        : 'No widget matches the search.';
      this.list.append(empty);
    }
  }

  private item(w: Widget): HTMLLIElement {
    const li = document.createElement('li');
    li.className = 'marketplace-item';
    li.dataset.widgetId = w.id;
    const icon = document.createElement(w.icon ? 'img' : 'span');
    icon.className = 'mi-icon';
    icon.setAttribute('aria-hidden', 'true');
    if (icon instanceof HTMLImageElement && w.icon) {
      icon.src = widgetUrl(w.id, w.icon);
      icon.alt = '';
    } else {
      icon.textContent = w.title.slice(0, 1).toUpperCase();
    }
    const title = document.createElement('button');
    title.type = 'button';
    title.className = 'mi-title';
    title.textContent = w.title;
    title.setAttribute('aria-expanded', String(this.open.has(w.id)));
    title.title = 'Show the details';
    const health = document.createElement('span');
    health.className = `mi-health ${w.state}`;
    health.textContent = w.state === 'online' ? 'online' : 'offline';
    health.title = w.state === 'online' ? 'Its sidecar is heartbeating' : `No heartbeat since ${new Date(w.last_seen).toLocaleTimeString()}`;
    const meta = document.createElement('div');
    meta.className = 'mi-meta';
    meta.append(`${w.publisher} · v${w.version} `, health);
    const desc = document.createElement('div');
    desc.className = 'mi-desc';
    desc.textContent = w.description;
    const contract = document.createElement('div');
    contract.className = 'mi-contract';
    const chip = (kind: string, label: string) => {
      const c = document.createElement('span');
      c.className = `mi-chip ${kind}`;
      c.textContent = label;
      c.title = kind === 'listens' ? `Follows ${label} on its channel` : kind === 'broadcasts' ? `Broadcasts ${label}` : `Handles the ${label} intent`;
      return c;
    };
    const c = contractOf(w);
    contract.append(
      ...c.listens.map((t) => chip('listens', t)),
      ...c.broadcasts.map((t) => chip('broadcasts', t)),
      ...c.intents.map((i) => chip('intent', i.name)),
    );
    const add = document.createElement('button');
    add.type = 'button';
    add.className = 'mi-add';
    add.textContent = 'Add';
    add.setAttribute('aria-label', `Add ${w.title}`);
    add.disabled = w.state === 'offline';
    add.addEventListener('click', () => this.onAdd(w));
    li.append(icon, title, add, meta, desc);
    if (contract.childElementCount) li.append(contract);
    if (this.open.has(w.id)) li.append(this.details(w));
    title.addEventListener('click', () => {
      if (this.open.has(w.id)) this.open.delete(w.id);
      else this.open.add(w.id);
      this.render();
    });
    if (w.state === 'offline') li.classList.add('offline');
    if (this.draggable && w.state !== 'offline') {
      li.classList.add('draggable');
      this.draggable(li, w);
    }
    return li;
  }

  private details(w: Widget): HTMLElement {
    const dl = document.createElement('dl');
    dl.className = 'mi-details';
    const row = (k: string, v: string) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dl.append(dt, dd);
    };
    row('Id', w.id);
    row('Element', `<${w.tag}>`);
    row('Files', `${Object.keys(w.files).length}, each checked against its sha256`);
    const c = contractOf(w);
    row('Listens to', c.listens.join(', ') || 'nothing');
    row('Broadcasts', c.broadcasts.join(', ') || 'nothing');
    row('Intents', c.intents.map((i) => `${i.name} (${i.contexts.join(', ')})`).join('; ') || 'none');
    row('Own service', w.api ? 'yes, under api/' : 'no');
    row('Revision', `${w.revision}, updated ${new Date(w.updated_at).toLocaleString()}`);
    return dl;
  }
}
