// <tessera-instrument-details>: a card with the instrument selected on the
// panel's user channel (fdc3.instrument): its identity and description from
// `api/instruments/{symbol}` and a live quote from the `api/ticks` long poll.
import { LitElement, css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { Context, Listener } from '@finos/fdc3';

import { fmt } from '@tessera-examples/market-data-client';
import { type Details, type Tick, MarketDataError, errorText, fetchDetails, followTicks, isAbort, repriced, sleep } from '@tessera-examples/market-data-client';

export const TAG = 'tessera-instrument-details';

/** The details are fetched again this often (volume grows; ticks carry only the price). */
const REFRESH_MS = 30_000;
/** While the backend does not answer, the card tries again this often. */
const RETRY_LOAD_MS = 5_000;

interface Selection {
  ticker: string;
  name?: string;
}

/** The instrument an fdc3.instrument context names, if it names one. */
export function selectionOf(ctx: Context | null | undefined): Selection | null {
  if (!ctx || ctx.type !== 'fdc3.instrument') return null;
  const ticker = (ctx.id as { ticker?: unknown } | undefined)?.ticker;
  if (typeof ticker !== 'string' || !ticker.trim()) return null;
  return { ticker: ticker.trim(), name: typeof ctx.name === 'string' ? ctx.name : undefined };
}

export class TesseraInstrumentDetails extends LitElement {
  static override properties: PropertyDeclarations = {
    selection: { state: true },
    details: { state: true },
    problem: { state: true },
    feedProblem: { state: true },
    flash: { state: true },
  };

  // Reactive state (declared, not initialised as class fields, so Lit's
  // accessors are not shadowed whatever the compiler does with fields).
  declare selection: Selection | null;
  declare details: Details | null;
  /** Why the selected instrument cannot be shown. */
  declare problem: { message: string; retrying: boolean } | null;
  /** Why the live feed is not answering (the card stays, marked stale). */
  declare feedProblem: string | null;
  declare flash: 'up' | 'down' | null;

  /** Aborts everything the current selection started. */
  private work: AbortController | null = null;
  private listener: Promise<Listener> | null = null;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  private lastTick: Tick | null = null;

  constructor() {
    super();
    this.selection = null;
    this.details = null;
    this.problem = null;
    this.feedProblem = null;
    this.flash = null;
  }

  static override styles = css`
    :host {
      display: block;
      height: 100%;
      box-sizing: border-box;
      font: 13px system-ui, sans-serif;
      color: var(--tessera-fg, #111827);
      background: var(--tessera-bg, transparent);
      container-type: inline-size;
    }
    .wrap { box-sizing: border-box; height: 100%; overflow: auto; padding: 14px 16px; }
    .state { height: 100%; display: flex; flex-direction: column; align-items: center; justify-content: center;
             gap: 10px; text-align: center; color: var(--tessera-muted, #6b7280); padding: 16px; box-sizing: border-box; }
    .state.error { color: var(--tessera-fg, #111827); }
    .state .what { font-weight: 600; color: var(--tessera-negative, #dc2626); }
    .state .why { max-width: 44ch; overflow-wrap: anywhere; }
    button { font: inherit; color: var(--tessera-fg, #111827); background: var(--tessera-surface, #f9fafb);
             border: 1px solid var(--tessera-border, #e5e7eb); border-radius: 6px; padding: 4px 12px; cursor: pointer; }
    button:focus-visible { outline: 2px solid var(--tessera-accent, #2563eb); outline-offset: 2px; }
    header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-start; gap: 8px 16px;
             padding-bottom: 12px; border-bottom: 1px solid var(--tessera-border, #e5e7eb); }
    h2 { margin: 0; font-size: 17px; line-height: 1.25; }
    .ident .sub { margin-top: 3px; color: var(--tessera-muted, #6b7280); font-size: 12px; }
    .symbol { font-weight: 600; color: var(--tessera-fg, #111827); letter-spacing: .02em; }
    .quote { text-align: right; font-variant-numeric: tabular-nums; margin-left: auto; }
    .last { font-size: 22px; font-weight: 600; line-height: 1.2; border-radius: 4px; padding: 0 3px;
            transition: background-color .6s ease; }
    .last.flash-up { background: color-mix(in srgb, var(--tessera-positive, #059669) 22%, transparent); transition: none; }
    .last.flash-down { background: color-mix(in srgb, var(--tessera-negative, #dc2626) 22%, transparent); transition: none; }
    .change { font-weight: 600; }
    .up { color: var(--tessera-positive, #059669); }
    .down { color: var(--tessera-negative, #dc2626); }
    .flat { color: var(--tessera-muted, #6b7280); }
    .asof { color: var(--tessera-muted, #6b7280); font-size: 11px; margin-top: 2px; }
    .asof .stale { color: var(--tessera-negative, #dc2626); }
    .dot { display: inline-block; width: 6px; height: 6px; border-radius: 50%; margin-right: 4px; vertical-align: middle;
           background: var(--tessera-positive, #059669); }
    .dot.stale { background: var(--tessera-negative, #dc2626); }
    dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px 16px; margin: 12px 0; }
    dl div { min-width: 0; }
    dt { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--tessera-muted, #6b7280); }
    dd { margin: 2px 0 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .desc { margin: 0; line-height: 1.5; color: var(--tessera-fg, #111827); max-width: 75ch; }
    @container (max-width: 320px) {
      .quote { text-align: left; margin-left: 0; }
      .wrap { padding: 10px; }
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.listen();
    // The saved selection (the layout's), if no channel gives one first.
    this.restore();
    window.addEventListener('fdc3Ready', this.onReady);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('fdc3Ready', this.onReady);
    this.work?.abort();
    this.work = null;
    clearTimeout(this.flashTimer);
    const l = this.listener;
    this.listener = null;
    l?.then((x) => x.unsubscribe()).catch(() => {});
  }

  /** The SDK has said hello: the saved state is known (and `fdc3` is there, outside Tessera too). */
  private onReady = (): void => {
    this.listen();
    this.restore();
  };

  private listen(): void {
    if (this.listener || !window.fdc3) return;
    this.listener = window.fdc3.addContextListener('fdc3.instrument', (ctx) => {
      const s = selectionOf(ctx);
      if (s) this.select(s);
    });
    this.listener.catch((e) => console.warn('tessera-instrument-details: cannot listen for fdc3.instrument', e));
  }

  private restore(): void {
    if (this.selection) return;
    const saved = (window.tessera?.getState() as { instrument?: Context } | null | undefined)?.instrument;
    const s = selectionOf(saved);
    if (s) this.select(s, false);
  }

  /** Shows `s`: loads its details, then follows its ticks. */
  select(s: Selection, save = true): void {
    const same = this.selection?.ticker.toUpperCase() === s.ticker.toUpperCase();
    if (same && this.details && !this.problem) return;
    if (save) {
      window.tessera?.setState({ instrument: { type: 'fdc3.instrument', id: { ticker: s.ticker }, ...(s.name ? { name: s.name } : {}) } });
    }
    this.work?.abort();
    const work = new AbortController();
    this.work = work;
    this.selection = s;
    this.details = null;
    this.problem = null;
    this.feedProblem = null;
    this.lastTick = null;
    void this.run(s, work.signal);
  }

  private async run(s: Selection, signal: AbortSignal): Promise<void> {
    // Load, retrying while the backend does not answer (not for an unknown symbol).
    for (;;) {
      try {
        this.details = await fetchDetails(s.ticker, signal);
        this.problem = null;
        break;
      } catch (e) {
        if (isAbort(e) || signal.aborted) return;
        const unknown = e instanceof MarketDataError && e.status === 404;
        this.problem = {
          message: unknown ? `Unknown instrument “${s.ticker}”: ${e.detail ?? e.message}` : errorText(e),
          retrying: !unknown,
        };
        if (unknown) return;
        try {
          await sleep(RETRY_LOAD_MS, signal);
        } catch {
          return;
        }
      }
    }
    void this.refresh(s, signal);
    await followTicks({
      signal,
      onTicks: (ticks) => this.onTicks(ticks),
      onStatus: (problem) => {
        this.feedProblem = problem;
      },
    });
  }

  /** Fetches the details again now and then: volume and the session's range move. */
  private async refresh(s: Selection, signal: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await sleep(REFRESH_MS, signal);
        const fresh = await fetchDetails(s.ticker, signal);
        const t = this.lastTick;
        this.details = t && Date.parse(t.time) > Date.parse(fresh.time) ? this.applied(fresh, t) : fresh;
      } catch (e) {
        if (isAbort(e) || signal.aborted) return;
        // The tick feed reports the outage; the card keeps what it has.
      }
    }
  }

  private applied(d: Details, t: Tick): Details {
    const next = repriced(d, t.price, t.time);
    // The session's range widens with the price; the market value moves with it
    // (market_cap = last × shares outstanding).
    next.high = Math.max(d.high, t.price);
    next.low = Math.min(d.low, t.price);
    if (d.last) next.market_cap = (d.market_cap / d.last) * t.price;
    return next;
  }

  private onTicks(ticks: Tick[]): void {
    const d = this.details;
    if (!d) return;
    const mine = ticks.filter((t) => t.symbol.toUpperCase() === d.symbol.toUpperCase());
    const t = mine[mine.length - 1];
    if (!t) return;
    // The first answer brings the latest tick, possibly older than the details.
    if (Date.parse(t.time) < Date.parse(d.time)) return;
    this.lastTick = t;
    if (t.price !== d.last) this.pulse(t.price > d.last ? 'up' : 'down');
    this.details = this.applied(d, t);
  }

  private pulse(dir: 'up' | 'down'): void {
    this.flash = dir;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => (this.flash = null), 250);
  }

  private retry = (): void => {
    const s = this.selection;
    if (!s) return;
    this.problem = null;
    this.select(s, false);
  };

  override render(): TemplateResult {
    const s = this.selection;
    if (!s) {
      return html`<div class="state" role="status">Select an instrument in a linked watchlist</div>`;
    }
    if (this.problem) {
      return html`<div class="state error" role="alert">
        <div class="what">Cannot show ${s.ticker}${s.name ? html` (${s.name})` : nothing}</div>
        <div class="why">${this.problem.message}</div>
        ${this.problem.retrying ? html`<div class="hint">Trying again every ${RETRY_LOAD_MS / 1000} s…</div>` : nothing}
        <button @click=${this.retry}>Retry now</button>
      </div>`;
    }
    const d = this.details;
    if (!d) {
      return html`<div class="state" role="status">Loading ${s.ticker}${s.name ? html` · ${s.name}` : nothing}…</div>`;
    }
    return this.card(d);
  }

  private card(d: Details): TemplateResult {
    const dir = fmt.direction(d.change);
    const cur = d.currency;
    const stale = this.feedProblem;
    return html`<article class="wrap" aria-labelledby="title">
      <header>
        <div class="ident">
          <h2 id="title">${d.name}</h2>
          <div class="sub"><span class="symbol">${d.symbol}</span> · ${d.exchange} · ${cur}</div>
        </div>
        <div class="quote">
          <div class="last ${this.flash ? `flash-${this.flash}` : ''}" title="Last price (${cur})">${fmt.money(d.last, cur)}</div>
          <div class="change ${dir}" title="Change since the previous close (${fmt.price(d.previous_close)})">
            ${fmt.signed(d.change)} (${fmt.percent(d.change_pct)})
          </div>
          <div class="asof">
            ${stale
              ? html`<span class="dot stale"></span><span class="stale" title=${stale}>Live feed interrupted; retrying</span> · as of ${fmt.timeOfDay(d.time)}`
              : html`<span class="dot" aria-hidden="true"></span>Live · ${fmt.timeOfDay(d.time)}`}
          </div>
        </div>
      </header>
      <dl>
        ${this.stat('Open', fmt.price(d.open))}
        ${this.stat('High', fmt.price(d.high))}
        ${this.stat('Low', fmt.price(d.low))}
        ${this.stat('Prev. close', fmt.price(d.previous_close))}
        ${this.stat('Volume', fmt.compact(d.volume), fmt.whole(d.volume))}
        ${this.stat('Market cap', fmt.compactMoney(d.market_cap, cur), fmt.money(d.market_cap, cur))}
        ${this.stat('Sector', d.sector)}
        ${this.stat('Exchange', d.exchange)}
        ${this.stat('Currency', cur)}
        ${this.stat('ISIN', d.isin)}
      </dl>
      <p class="desc">${d.description}</p>
    </article>`;
  }

  private stat(label: string, value: string, full?: string): TemplateResult {
    return html`<div><dt>${label}</dt><dd title=${full ?? nothing}>${value}</dd></div>`;
  }
}

// Defined once, under the tag widget.toml names (a second evaluation of the
// module, e.g. a hot reload, must not throw).
if (!customElements.get(TAG)) customElements.define(TAG, TesseraInstrumentDetails);

declare global {
  interface HTMLElementTagNameMap {
    'tessera-instrument-details': TesseraInstrumentDetails;
  }
}
