// The bus inspector: recent broadcasts (time, channel, source widget, type,
// the JSON on demand) and the overflow counters, so widget authors see what flows.
import type { IContentRenderer } from 'dockview-core';
import type { Backend } from './backend';
import { CHANNEL_COLOURS } from './channels';
import type { BusStats, Inspected } from './generated/bus';

/** The answer to `bus_inspect` (`commands::bus::Inspection`). */
export interface Inspection {
  records: Inspected[];
  stats: BusStats;
}

const KEEP = 200;

export class InspectorPanel implements IContentRenderer {
  readonly element = document.createElement('div');
  private after = 0;
  private timer = 0;
  private readonly list = document.createElement('ol');
  private readonly summary = document.createElement('div');

  constructor(private readonly backend: Backend) {}

  init(): void {
    this.element.className = 'inspector';
    this.summary.className = 'inspector-summary';
    this.list.className = 'inspector-list';
    this.element.append(this.summary, this.list);
    void this.poll();
    this.timer = window.setInterval(() => void this.poll(), 500);
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    const r = await this.backend.bus.inspect({ after: this.after });
    const overflow = Object.entries(r.stats.overflow);
    this.summary.textContent =
      `${r.stats.broadcasts} broadcasts · ${r.stats.deliveries} deliveries · ` +
      (overflow.length ? `overflow: ${overflow.map(([p, n]) => `${p} ${n}`).join(', ')}` : 'no overflow');
    this.summary.classList.toggle('warn', overflow.length > 0);
    for (const rec of r.records) {
      this.after = Math.max(this.after, rec.seq);
      this.list.prepend(this.row(rec));
    }
    while (this.list.children.length > KEEP) this.list.lastElementChild?.remove();
  }

  private row(rec: Inspected): HTMLLIElement {
    const li = document.createElement('li');
    li.className = 'inspector-row';
    const head = document.createElement('button');
    head.type = 'button';
    const dot = document.createElement('span');
    dot.className = 'channel-dot';
    dot.style.background = CHANNEL_COLOURS[rec.channel] ?? '#9ca3af';
    const time = new Date(rec.timestamp).toLocaleTimeString(undefined, { hour12: false }) +
      `.${String(Math.floor(rec.timestamp % 1000)).padStart(3, '0')}`;
    head.append(dot, `${time}  ${rec.channel}  ${rec.sourceWidget}  ${rec.contextType}  → ${rec.delivered}`);
    const json = document.createElement('pre');
    json.hidden = true;
    json.textContent = JSON.stringify(rec.context, null, 2) + `\n// trace ${rec.traceId}, panel ${rec.sourcePanel}`;
    head.addEventListener('click', () => (json.hidden = !json.hidden));
    li.append(head, json);
    return li;
  }
}
