// <tessera-greeting>: a vanilla custom element. Its text comes from
// message.json, fetched with a relative URL, which the shell resolves
// through its widget:// scheme (checked against the registered hash). Each
// showing loads the tracker's pixel.
class TesseraGreeting extends HTMLElement {
  async connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `
      <style>
        :host { display: block; height: 100%; font-family: system-ui, sans-serif; }
        .card { box-sizing: border-box; height: 100%; display: flex; flex-direction: column; justify-content: center;
                gap: .5rem; padding: 1.5rem; background: linear-gradient(135deg, color-mix(in srgb, var(--tessera-accent, #2563eb) 10%, var(--tessera-bg, #fff)), color-mix(in srgb, var(--tessera-positive, #047857) 10%, var(--tessera-bg, #fff))); }
        h1 { margin: 0; font-size: 1.6rem; color: var(--tessera-accent, #1e3a8a); }
        p { margin: 0; color: var(--tessera-fg, #374151); }
        small { color: var(--tessera-muted, #6b7280); }
      </style>
      <div class="card"><h1 part="greeting">…</h1><p part="detail"></p><small part="since"></small></div>`;
    const [h1, p, small] = root.querySelectorAll('h1, p, small');
    try {
      const res = await fetch('message.json');
      if (!res.ok) throw new Error(`message.json: HTTP ${res.status}`);
      const msg = await res.json();
      h1.textContent = msg.greeting;
      p.textContent = msg.detail;
    } catch (e) {
      h1.textContent = 'Hello';
      p.textContent = `Could not load the message: ${e}`;
    }
    small.textContent = `Loaded at ${new Date().toLocaleTimeString()}`;
    countVisit();
  }
}

// Each showing of the greeting is a hit on the tracker's pixel (the Page
// hits widget counts them), as any page of the organisation would load it.
// Another widget's files are at its own root: widget://tessera.tracker/ here,
// http://widget.localhost/tessera.tracker/ where the scheme is served over http.
function countVisit() {
  const tracker =
    location.protocol === 'widget:' ? 'widget://tessera.tracker/' : new URL('../tessera.tracker/', location.href).href;
  const pixel = new Image(1, 1);
  pixel.alt = '';
  pixel.src = `${tracker}api/pixel.gif?page=greeting`;
}

customElements.define('tessera-greeting', TesseraGreeting);
