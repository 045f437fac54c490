// <tessera-probe>: records deliveries in window.received as
// { ticker, seq, sentAt, at, source, channel } (times in ms since the epoch).
const now = () => performance.timeOrigin + performance.now();
window.received = [];
window.intents = [];

class TesseraProbe extends HTMLElement {
  connectedCallback() {
    this.innerHTML = '<p class="count">0 received</p>';
    const count = this.querySelector('.count');
    const start = () => {
      window.fdc3.addContextListener(null, (ctx, meta) => {
        window.received.push({
          ticker: ctx.id && ctx.id.ticker, seq: ctx.seq, sentAt: ctx.sentAt, at: now(),
          source: meta && meta.source && meta.source.instanceId, channel: meta && meta.channel,
        });
        count.textContent = `${window.received.length} received`;
      });
      window.fdc3.addIntentListener('ViewChart', (ctx) => {
        window.intents.push(ctx.id && ctx.id.ticker);
        return { type: 'fdc3.instrument', id: { ticker: 'HANDLED-' + (ctx.id && ctx.id.ticker) } };
      });
      window.probeReady = true;
    };
    // The SDK is in place before any widget module runs, and requests made
    // now are handled after its hello, in order.
    if (window.fdc3) start();
    else window.addEventListener('fdc3Ready', start, { once: true });
  }
}

customElements.define('tessera-probe', TesseraProbe);
