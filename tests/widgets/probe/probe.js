// <tessera-probe>: records deliveries in window.received as
// { ticker, seq, sentAt, at, source, channel, busAt } (times in ms since the
// epoch; busAt: when the bus accepted the context, by the shell's own clock).
const now = () => performance.timeOrigin + performance.now();
window.received = [];
window.intents = [];
window.privateEvents = [];

class TesseraProbe extends HTMLElement {
  connectedCallback() {
    this.innerHTML = '<p class="count">0 received</p>';
    const count = this.querySelector('.count');
    const start = () => {
      window.fdc3.addContextListener(null, (ctx, meta) => {
        window.received.push({
          ticker: ctx.id && ctx.id.ticker, seq: ctx.seq, sentAt: ctx.sentAt, at: now(),
          source: meta && meta.source && meta.source.instanceId, channel: meta && meta.channel,
          busAt: meta && meta.timestamp,
        });
        count.textContent = `${window.received.length} received`;
      });
      window.fdc3.addIntentListener('ViewChart', (ctx) => {
        window.intents.push(ctx.id && ctx.id.ticker);
        return { type: 'fdc3.instrument', id: { ticker: 'HANDLED-' + (ctx.id && ctx.id.ticker) } };
      });
      // Asked to stream, it answers with a private channel and starts
      // broadcasting on it once the raiser listens.
      window.fdc3.addIntentListener('StreamPrices', async (ctx) => {
        const channel = await window.fdc3.createPrivateChannel();
        channel.onAddContextListener((type) => {
          window.privateEvents.push('listener:' + type);
          channel.broadcast({ type: 'fdc3.instrument', id: { ticker: 'STREAM-' + (ctx.id && ctx.id.ticker) } });
        });
        channel.onDisconnect(() => window.privateEvents.push('disconnect'));
        return channel;
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
