// <tessera-clock>: the local time, updated every second while connected.
//
// The formatters are made once: a `toLocaleTimeString()` call per second
// makes a new ICU formatter each time, whose native memory the JavaScript
// heap does not count, so the page grew by megabytes a minute before a
// collection came (issue 14, item 10).
const TIME = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
const DATE = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });

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
    // The text node is kept and its data changed: no new nodes each second.
    const clock = document.createTextNode('');
    time.append(clock);
    let day = '';
    const tick = () => {
      const now = new Date();
      clock.data = TIME.format(now);
      const today = DATE.format(now);
      if (today !== day) {
        day = today;
        date.textContent = today;
      }
    };
    tick();
    this.timer = setInterval(tick, 1000);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }
}

customElements.define('tessera-clock', TesseraClock);
