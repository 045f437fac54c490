// <tessera-watchlist>: select a row to broadcast the instrument on the
// panel's channel; double-click to raise ViewChart. Follows selections made
// elsewhere on the channel too.
const css = `
  :host { display: block; height: 100%; font: 13px system-ui, sans-serif; color: var(--tessera-fg, #111827); }
  .wrap { box-sizing: border-box; height: 100%; overflow: auto; }
  table { width: 100%; border-collapse: collapse; }
  th { position: sticky; top: 0; background: var(--tessera-surface, #f9fafb); text-align: left; font-weight: 600; font-size: 11px;
       text-transform: uppercase; letter-spacing: .05em; color: var(--tessera-muted, #6b7280); padding: 8px 10px; border-bottom: 1px solid var(--tessera-border, #e5e7eb); }
  td { padding: 8px 10px; border-bottom: 1px solid var(--tessera-border, #f3f4f6); cursor: pointer; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr:hover td { background: var(--tessera-surface, #f9fafb); }
  tr.selected td { background: color-mix(in srgb, var(--tessera-accent, #2563eb) 15%, transparent); }
  .up { color: var(--tessera-positive, #059669); } .down { color: var(--tessera-negative, #dc2626); }
  .hint { padding: 8px 10px; color: var(--tessera-muted, #6b7280); font-size: 12px; }`;

class TesseraWatchlist extends HTMLElement {
  async connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${css}</style><div class="wrap"><table><thead><tr><th>Ticker</th><th>Name</th>
      <th class="num">Last</th><th class="num">Chg %</th></tr></thead><tbody></tbody></table>
      <div class="hint">Select a row to link · double-click to open its chart</div></div>`;
    const body = root.querySelector('tbody');
    const rows = await (await fetch('instruments.json')).json();
    const select = (ticker) => {
      for (const tr of body.children) tr.classList.toggle('selected', tr.dataset.ticker === ticker);
    };
    for (const r of rows) {
      const tr = document.createElement('tr');
      tr.dataset.ticker = r.ticker;
      const cls = r.change >= 0 ? 'up' : 'down';
      tr.innerHTML = `<td><strong>${r.ticker}</strong></td><td>${r.name}</td><td class="num">${r.last.toFixed(2)}</td>
        <td class="num ${cls}">${r.change >= 0 ? '+' : ''}${r.change.toFixed(2)}</td>`;
      const context = { type: 'fdc3.instrument', id: { ticker: r.ticker }, name: r.name };
      tr.addEventListener('click', () => {
        select(r.ticker);
        window.fdc3?.broadcast(context);
        window.tessera?.setState({ selected: r.ticker });
      });
      tr.addEventListener('dblclick', () => window.fdc3?.raiseIntent('ViewChart', context).catch((e) => console.warn(e)));
      body.append(tr);
    }
    const saved = window.tessera?.getState()?.selected;
    if (saved) select(saved);
    window.fdc3?.addContextListener('fdc3.instrument', (ctx) => select(ctx.id?.ticker));
  }
}

customElements.define('tessera-watchlist', TesseraWatchlist);
