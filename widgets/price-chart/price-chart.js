// <tessera-price-chart>: draws 90 daily closes for the instrument it is
// given — by a linked channel (fdc3.instrument) or the ViewChart intent.
// The series is synthetic but stable per ticker (seeded random walk).
const css = `
  :host { display: block; height: 100%; font: 13px system-ui, sans-serif; color: var(--tessera-fg, #111827); }
  .wrap { box-sizing: border-box; height: 100%; padding: 12px 16px; display: flex; flex-direction: column; }
  h2 { margin: 0; font-size: 16px; } .sub { color: var(--tessera-muted, #6b7280); font-size: 12px; margin: 2px 0 8px; }
  svg { flex: 1; width: 100%; min-height: 60px; }
  .empty { margin: auto; color: var(--tessera-muted, #6b7280); }`;

function series(ticker) {
  let seed = [...ticker].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  let v = 50 + rand() * 400;
  return Array.from({ length: 90 }, () => (v *= 1 + (rand() - 0.48) * 0.04));
}

class TesseraPriceChart extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${css}</style><div class="wrap"><div class="empty">Select an instrument in a linked widget</div></div>`;
    this.wrap = root.querySelector('.wrap');
    window.fdc3?.addContextListener('fdc3.instrument', (ctx) => this.show(ctx));
    window.fdc3?.addIntentListener('ViewChart', (ctx) => this.show(ctx));
    const saved = window.tessera?.getState()?.instrument;
    if (saved) this.show(saved);
  }

  show(ctx) {
    const ticker = ctx.id?.ticker;
    if (!ticker) return;
    window.tessera?.setState({ instrument: ctx });
    const s = series(ticker);
    const [min, max] = [Math.min(...s), Math.max(...s)];
    const w = 600, h = 240;
    const pts = s.map((v, i) => `${(i / (s.length - 1)) * w},${h - ((v - min) / (max - min || 1)) * (h - 10) - 5}`).join(' ');
    const up = s[s.length - 1] >= s[0];
    const colour = up ? '#059669' : '#dc2626';
    const change = ((s[s.length - 1] / s[0] - 1) * 100).toFixed(2);
    this.wrap.innerHTML = `<h2 part="title">${ticker}</h2>
      <div class="sub">${ctx.name ?? ''} · 90 days · ${up ? '+' : ''}${change}% · last ${s[s.length - 1].toFixed(2)}</div>
      <svg viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" role="img" aria-label="${ticker} price chart">
        <polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts}" vector-effect="non-scaling-stroke"/>
      </svg>`;
  }
}

customElements.define('tessera-price-chart', TesseraPriceChart);
