// The six user channels' colours, as the bus describes them.
export const CHANNEL_COLOURS: Record<string, string> = {
  red: '#ef4444',
  orange: '#f97316',
  yellow: '#eab308',
  green: '#22c55e',
  blue: '#3b82f6',
  purple: '#a855f7',
};

export const CHANNELS = Object.keys(CHANNEL_COLOURS);

/** A small menu to pick a panel's channel (or none), anchored at `anchor`. */
export function channelMenu(anchor: HTMLElement, current: string | null, pick: (c: string | null) => void): void {
  document.querySelector('.channel-menu')?.remove();
  const menu = document.createElement('div');
  menu.className = 'channel-menu';
  menu.setAttribute('role', 'menu');
  const item = (id: string | null) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('role', 'menuitemradio');
    b.setAttribute('aria-checked', String(id === current));
    b.dataset.channel = id ?? 'none';
    const dot = document.createElement('span');
    dot.className = 'channel-dot';
    dot.style.background = id ? CHANNEL_COLOURS[id] : 'transparent';
    b.append(dot, id ? id[0].toUpperCase() + id.slice(1) : 'No channel');
    b.addEventListener('click', () => {
      menu.remove();
      pick(id);
    });
    return b;
  };
  menu.append(...CHANNELS.map(item), item(null));
  const r = anchor.getBoundingClientRect();
  menu.style.top = `${r.bottom + 4}px`;
  menu.style.left = `${Math.max(4, r.right - 160)}px`;
  document.body.append(menu);
  setTimeout(() => document.addEventListener('click', () => menu.remove(), { once: true }));
}
