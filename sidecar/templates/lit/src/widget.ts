// <{{tag}}>: a Lit element. `npm run build` bundles it into dist/widget.js,
// which the shell loads in a sandboxed frame before placing the element;
// `window.fdc3` and `window.tessera` are there before this module runs
// (their types: src/tessera-widget.d.ts). Relative URLs load this folder's files.
import { LitElement, css, html, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { Context, Listener } from '@finos/fdc3';

export const TAG = '{{tag}}';

/** The panel's user channel, as the shell names it. */
interface ChannelView {
  name: string;
  color?: string;
}

export class {{class}} extends LitElement {
  static override properties: PropertyDeclarations = {
    channel: { state: true },
    instrument: { state: true },
  };

  // Reactive state (declared, not initialised as class fields, so Lit's
  // accessors are not shadowed).
  /** The panel's user channel; null when it is on none. */
  declare channel: ChannelView | null;
  /** The last fdc3.instrument context heard on that channel. */
  declare instrument: Context | null;

  private listeners: Promise<Listener>[] = [];

  constructor() {
    super();
    this.channel = null;
    this.instrument = null;
  }

  static override styles = css`
    :host {
      display: block;
      height: 100%;
      font: 13px system-ui, sans-serif;
      color: var(--tessera-fg, #111827);
      background: var(--tessera-bg, transparent);
    }
    .card { box-sizing: border-box; height: 100%; overflow: auto; padding: 1rem; }
    h2 { margin: 0 0 0.75rem; font-size: 1.1rem; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0; }
    dt { color: var(--tessera-muted, #6b7280); }
    dd { margin: 0; overflow-wrap: anywhere; }
    .dot { display: inline-block; width: 0.6em; height: 0.6em; margin-right: 0.4em; border-radius: 50%;
           background: var(--tessera-accent, #2563eb); }
    .none, .hint { color: var(--tessera-muted, #6b7280); }
    .hint { margin-top: 1rem; padding-top: 0.75rem; border-top: 1px solid var(--tessera-border, #e5e7eb); }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    // The listener follows the panel from channel to channel, and is given
    // the channel's current fdc3.instrument at once.
    this.listeners = [
      window.fdc3.addContextListener('fdc3.instrument', (ctx) => {
        this.instrument = ctx;
      }),
      window.fdc3.addEventListener('userChannelChanged', () => void this.showChannel()),
    ];
    for (const l of this.listeners) l.catch((e) => console.warn(`${TAG}: cannot listen`, e));
    void this.showChannel();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const l of this.listeners) l.then((x) => x.unsubscribe()).catch(() => {});
    this.listeners = [];
  }

  private async showChannel(): Promise<void> {
    try {
      const c = await window.fdc3.getCurrentChannel();
      this.channel = c && { name: c.displayMetadata?.name ?? c.id, color: c.displayMetadata?.color };
    } catch (e) {
      console.warn(`${TAG}: cannot read the current channel`, e);
    }
  }

  override render(): TemplateResult {
    const c = this.channel;
    const i = this.instrument;
    const ticker: unknown = i?.id?.ticker;
    return html`<div class="card">
      <h2>{{title}}</h2>
      <dl>
        <dt>Channel</dt>
        <dd>
          ${c
            ? html`<span class="dot" style=${c.color ? `background: ${c.color}` : ''}></span>${c.name}`
            : html`<span class="none">None: link this panel with the ● on its tab</span>`}
        </dd>
        <dt>Instrument</dt>
        <dd>
          ${i
            ? html`<strong>${typeof ticker === 'string' ? ticker : JSON.stringify(i.id ?? {})}</strong>
                ${i.name ? html` · ${i.name}` : ''}`
            : html`<span class="none">None yet: select one in a widget on the same channel</span>`}
        </dd>
      </dl>
      <p class="hint">Edit src/widget.ts and run <code>npm run build</code>: open shells reload this widget.</p>
    </div>`;
  }
}

// Defined once, under the tag widget.toml names (a second evaluation of the
// module, e.g. a hot reload, must not throw).
if (!customElements.get(TAG)) customElements.define(TAG, {{class}});

declare global {
  interface HTMLElementTagNameMap {
    '{{tag}}': {{class}};
  }
}
