// <tessera-price-chart>: the daily chart of the instrument it is given, by
// a linked channel (fdc3.instrument) or the ViewChart intent, kept live from
// the market-data backend's ticks. The instrument is saved with the layout.
import { ApiError, getHistory, getInstrument, type InstrumentDetail, type Tick } from './api';
import { DailyChart, utcDay } from './chart';
import { saveInstrument, savedInstrument, whenStateReady, type Instrument } from './host';
import { css } from './styles';
import { chartColours, onThemeChange } from './theme';
import { RETRY_MS, followTicks, sleep } from './ticks';

const DAYS = 120;

const PRICE = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const SIGNED = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });

function describe(e: unknown): string {
  // 502-504: the sidecar or the server could not reach it.
  if (e instanceof ApiError && e.status !== 0 && (e.status < 502 || e.status > 504)) {
    return `The market-data service answered with an error (HTTP ${e.status})`;
  }
  return 'The market-data service is not reachable';
}

export class PriceChartElement extends HTMLElement {
  private root!: ShadowRoot;
  private header!: HTMLElement;
  private status!: HTMLElement;
  private chartBox!: HTMLElement;
  private empty!: HTMLElement;
  private chart?: DailyChart;
  private symbol?: string;
  private quote?: InstrumentDetail;
  /** Aborts the shown instrument's requests and tick loop. */
  private session?: AbortController;
  private cleanup: (() => void)[] = [];

  connectedCallback(): void {
    if (!this.root) {
      this.root = this.attachShadow({ mode: 'open' });
      this.root.innerHTML = `<style>${css}</style><div class="wrap">
        <header></header>
        <div class="status" role="status" aria-live="polite" hidden></div>
        <div class="body">
          <div class="chart" role="img" hidden></div>
          <div class="empty"><strong>No instrument</strong>
            <span>Select an instrument in a linked watchlist, or double-click one there to open its chart.</span></div>
        </div></div>`;
      this.header = this.root.querySelector('header')!;
      this.status = this.root.querySelector('.status')!;
      this.chartBox = this.root.querySelector('.chart')!;
      this.empty = this.root.querySelector('.empty')!;
    }
    this.cleanup.push(onThemeChange(() => this.chart?.setColours(chartColours(this))));
    const listeners = [
      window.fdc3?.addContextListener('fdc3.instrument', (ctx) => this.show(ctx)),
      window.fdc3?.addIntentListener('ViewChart', (ctx) => {
        this.show(ctx);
      }),
    ];
    this.cleanup.push(() => {
      for (const l of listeners) l?.then((x) => x.unsubscribe()).catch(() => {});
    });
    whenStateReady(() => {
      const saved = savedInstrument();
      if (this.isConnected && !this.symbol && saved) this.show(saved);
    });
  }

  disconnectedCallback(): void {
    for (const f of this.cleanup.splice(0)) f();
    this.session?.abort();
    this.session = undefined;
    this.symbol = undefined;
    this.chart?.remove();
    this.chart = undefined;
  }

  /** Shows `ctx`'s instrument (again the same one: nothing to do). */
  show(ctx: Instrument): void {
    const symbol = ctx?.id?.ticker;
    if (typeof symbol !== 'string' || !symbol) return;
    saveInstrument({ type: 'fdc3.instrument', id: { ticker: symbol }, ...(ctx.name ? { name: ctx.name } : {}) });
    if (symbol === this.symbol) return;
    this.session?.abort();
    this.symbol = symbol;
    this.quote = undefined;
    this.renderHeader(ctx.name ?? '');
    this.empty.hidden = true;
    this.chartBox.hidden = false;
    // Until its bars come, the last instrument's chart is not shown under this one's name.
    this.chartBox.classList.add('loading');
    this.chartBox.setAttribute('aria-label', `${symbol}: daily candles and volume, last ${DAYS} days`);
    this.chart ??= new DailyChart(this.chartBox, chartColours(this));
    const session = new AbortController();
    this.session = session;
    void this.follow(symbol, session.signal);
  }

  /** Loads the history (retrying every 2 s until it comes), then follows the ticks. */
  private async follow(symbol: string, signal: AbortSignal): Promise<void> {
    this.setStatus(`Loading ${symbol}…`, false);
    for (;;) {
      try {
        const [bars, quote] = await Promise.all([getHistory(symbol, DAYS, signal), getInstrument(symbol, signal)]);
        if (signal.aborted) return;
        this.chart?.show(bars, quote);
        this.chartBox.classList.remove('loading');
        this.quote = quote;
        this.renderHeader(quote.name);
        this.setStatus(null);
        break;
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof ApiError && e.code === 'not_found') {
          this.setStatus(`No market data for ${symbol}.`, true);
          return;
        }
        console.warn('price chart:', e);
        this.setStatus(`${describe(e)}. Trying again…`, true);
        await sleep(RETRY_MS, signal);
        if (signal.aborted) return;
      }
    }
    // The backend's spelling of the symbol (it finds `nvda` too; its ticks say `NVDA`).
    const live = this.quote?.symbol ?? symbol;
    await followTicks(signal, {
      onTicks: (ticks) => this.onTicks(live, ticks, signal),
      onStatus: (e) => {
        if (e) console.warn('price chart ticks:', e);
        this.setStatus(e ? `${describe(e)}: prices are not live. Reconnecting…` : null, true);
      },
    });
  }

  private onTicks(symbol: string, ticks: Tick[], signal: AbortSignal): void {
    let latest: Tick | undefined;
    for (const t of ticks) {
      if (t.symbol !== symbol) continue;
      this.chart?.tick(t.price, t.time);
      latest = t;
    }
    const q = this.quote;
    if (!latest || !q || Date.parse(latest.time) < Date.parse(q.time)) return;
    if (utcDay(latest.time) > utcDay(q.time)) void this.refreshQuote(symbol, signal);
    this.quote = { ...q, last: latest.price, time: latest.time };
    this.renderPrice();
  }

  /** A new day: its previous close is yesterday's last, so ask for the quote again. */
  private async refreshQuote(symbol: string, signal: AbortSignal): Promise<void> {
    try {
      const quote = await getInstrument(symbol, signal);
      const q = this.quote;
      if (signal.aborted || !q || utcDay(quote.time) !== utcDay(q.time)) return;
      // Ticks may have moved the price on meanwhile: only the close is taken.
      this.quote = { ...q, previous_close: quote.previous_close };
      this.renderPrice();
    } catch (e) {
      // The change stays against the old close until the next day's first tick.
      if (!signal.aborted) console.warn('price chart:', e);
    }
  }

  /** The title: symbol, name, and (once known) the last price and change. */
  private renderHeader(name: string): void {
    const h2 = document.createElement('h2');
    h2.part.add('title');
    h2.textContent = this.quote?.symbol ?? this.symbol ?? '';
    const nameEl = document.createElement('span');
    nameEl.className = 'name';
    nameEl.textContent = name;
    nameEl.title = name;
    const price = document.createElement('span');
    price.className = 'price';
    const currency = document.createElement('span');
    currency.className = 'currency';
    price.append(document.createTextNode(''), ' ', currency);
    const change = document.createElement('span');
    change.className = 'change';
    const quote = document.createElement('span');
    quote.className = 'quote';
    quote.append(price, change);
    this.header.replaceChildren(h2, nameEl, quote);
    this.renderPrice();
  }

  /** The last price (with its currency) and the change against the previous close. */
  private renderPrice(): void {
    const price = this.header.querySelector('.price');
    const currency = this.header.querySelector('.currency');
    const change = this.header.querySelector('.change');
    if (!price?.firstChild || !currency || !change) return;
    const q = this.quote;
    const diff = q ? q.last - q.previous_close : 0;
    const pct = q?.previous_close ? (diff / q.previous_close) * 100 : 0;
    price.firstChild.textContent = q ? PRICE.format(q.last) : '';
    currency.textContent = q?.currency ?? '';
    change.className = `change ${diff >= 0 ? 'up' : 'down'}`;
    change.textContent = q ? `${SIGNED.format(diff)} (${SIGNED.format(pct)}%)` : '';
  }

  /** A line above the chart: progress (`alarm` false) or a problem; null hides it. */
  private setStatus(text: string | null, alarm = true): void {
    this.status.hidden = text === null;
    this.status.textContent = text ?? '';
    this.status.classList.toggle('info', !alarm);
  }
}
