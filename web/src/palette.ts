// The command palette (Ctrl+K): one search over commands, widgets to add
// and layouts to open; arrows move, Enter runs, Escape closes.

export interface PaletteItem {
  title: string;
  /** What kind of thing it is: "Command", "Add widget", "Open layout". */
  kind: string;
  /** More words that find it (an id, a description). */
  keywords?: string;
  keys?: string;
  run: () => void;
}

/**
 * Items whose text holds every word of the query: first those whose title
 * starts with the query, then those whose title holds every word, then the
 * rest (a word found in a description); the order given within each.
 */
export function filterItems(items: PaletteItem[], query: string): PaletteItem[] {
  const q = query.trim().toLowerCase();
  const words = q.split(/\s+/).filter(Boolean);
  const rank = (i: PaletteItem): number => {
    const title = i.title.toLowerCase();
    if (q && title.startsWith(q)) return 0;
    return words.every((w) => title.includes(w)) ? 1 : 2;
  };
  return items
    .filter((i) => {
      const text = `${i.kind} ${i.title} ${i.keywords ?? ''}`.toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .map((item, at) => ({ item, at, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.at - b.at)
    .map((r) => r.item);
}

let open: HTMLElement | null = null;

/** Shows the palette; `more` adds items that take a moment (saved layouts). */
export function openPalette(items: PaletteItem[], more?: Promise<PaletteItem[]>): void {
  if (open) return;
  const back = document.createElement('div');
  back.className = 'palette-back';
  const box = document.createElement('div');
  box.className = 'palette';
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', 'Command palette');
  const input = document.createElement('input');
  input.type = 'text';
  input.placeholder = 'Type a command, a widget to add or a layout to open';
  input.setAttribute('aria-label', 'Search commands, widgets and layouts');
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-controls', 'palette-list');
  input.setAttribute('aria-expanded', 'true');
  const list = document.createElement('ul');
  list.id = 'palette-list';
  list.setAttribute('role', 'listbox');
  box.append(input, list);
  back.append(box);
  document.body.append(back);
  open = back;
  const before = document.activeElement as HTMLElement | null;

  let all = items;
  let shown: PaletteItem[] = [];
  let selected = 0;
  const render = () => {
    shown = filterItems(all, input.value);
    selected = Math.min(selected, Math.max(shown.length - 1, 0));
    list.replaceChildren(
      ...shown.map((item, i) => {
        const li = document.createElement('li');
        li.id = `palette-item-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === selected));
        const title = document.createElement('span');
        title.textContent = item.title;
        const right = document.createElement('span');
        right.className = 'kind';
        right.textContent = item.kind;
        if (item.keys) {
          const k = document.createElement('kbd');
          k.textContent = ` ${item.keys}`;
          right.append(k);
        }
        li.append(title, right);
        li.addEventListener('mousemove', () => {
          if (selected !== i) {
            selected = i;
            render();
          }
        });
        li.addEventListener('click', () => choose(i));
        return li;
      }),
    );
    if (shown.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = 'Nothing matches.';
      list.append(li);
    }
    input.setAttribute('aria-activedescendant', shown.length ? `palette-item-${selected}` : '');
    list.children[selected]?.scrollIntoView({ block: 'nearest' });
  };
  const close = () => {
    back.remove();
    open = null;
    before?.focus?.();
  };
  const choose = (i: number) => {
    const item = shown[i];
    close();
    item?.run();
  };
  input.addEventListener('input', () => {
    selected = 0;
    render();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') selected = Math.min(selected + 1, shown.length - 1);
    else if (e.key === 'ArrowUp') selected = Math.max(selected - 1, 0);
    else if (e.key === 'Enter') return choose(selected);
    else if (e.key === 'Escape') return close();
    else return;
    e.preventDefault();
    render();
  });
  back.addEventListener('mousedown', (e) => {
    if (e.target === back) close();
  });
  render();
  input.focus();
  void more?.then((extra) => {
    if (open !== back) return;
    all = [...all, ...extra];
    render();
  });
}
