// <tessera-pulse>: joins red and broadcasts one of eight instruments every second.
const TICKERS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA', 'JPM'];

class TesseraPulse extends HTMLElement {
  connectedCallback() {
    this.innerHTML = '<p>Broadcasting on red: <b></b></p>';
    const shown = document.createTextNode('');
    this.querySelector('b').append(shown);
    let n = 0;
    const start = async () => {
      await window.fdc3.joinUserChannel('red');
      this.timer = setInterval(() => {
        const ticker = TICKERS[n++ % TICKERS.length];
        shown.data = ticker;
        void window.fdc3.broadcast({ type: 'fdc3.instrument', id: { ticker } });
      }, 1000);
    };
    if (window.fdc3) void start();
    else window.addEventListener('fdc3Ready', () => void start(), { once: true });
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }
}

customElements.define('tessera-pulse', TesseraPulse);
