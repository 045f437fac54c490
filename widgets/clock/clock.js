// <tessera-clock>: the local time, updated every second while connected.
class TesseraClock extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `
      <style>
        :host { display: block; height: 100%; font-family: system-ui, sans-serif; }
        .face { height: 100%; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: .25rem; }
        time { font-size: 2.6rem; font-variant-numeric: tabular-nums; color: var(--tessera-fg, #111827); }
        span { color: var(--tessera-muted, #6b7280); font-size: .9rem; }
      </style>
      <div class="face"><time></time><span></span></div>`;
    const time = root.querySelector('time');
    const date = root.querySelector('span');
    const tick = () => {
      const now = new Date();
      time.textContent = now.toLocaleTimeString();
      time.dateTime = now.toISOString();
      date.textContent = now.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
    };
    tick();
    this.timer = setInterval(tick, 1000);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }
}

customElements.define('tessera-clock', TesseraClock);
