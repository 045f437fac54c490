// <tessera-watchlist>: live quotes from the market-data service. Select a row
// (click, or Enter) to broadcast the instrument on the panel's channel;
// double-click (or Shift+Enter) to raise ViewChart. Follows selections made
// elsewhere on the channel too. The selection is saved with the layout.
import { utcDay } from './format.js';
import { ApiError, RETRY_MS, followTicks, getInstruments, sleep } from './market.js';
import { Row } from './row.js';
import { css } from './styles.js';

function describe(e) {
  // 502-504: the sidecar or the server could not reach it.
  if (e instanceof ApiError && e.status !== 0 && (e.status < 502 || e.status > 504)) {
    return `The market-data service answered with an error (HTTP ${e.status})`;
  }
  return 'The market-data service is not reachable';
}

class TesseraWatchlist extends HTMLElement {
  connectedCallback() {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = `<style>${css}</style><div class="wrap">
        <div class="status info" role="status" aria-live="polite">Loading quotes…</div>
        <table role="grid" aria-label="Watchlist" aria-readonly="true"><thead><tr>
          <th scope="col">Symbol</th><th scope="col" class="name">Name</th>
          <th scope="col" class="num">Last</th><th scope="col" class="num">Chg %</th></tr></thead><tbody></tbody></table>
        <div class="hint">Click or Enter: link the instrument · double-click or Shift+Enter: open its chart</div></div>`;
      this.table = root.querySelector('table');
      this.body = root.querySelector('tbody');
      this.status = root.querySelector('.status');
      /** @type {Map<string, Row>} */
      this.rows = new Map();
      this.body.addEventListener('click', (e) => this.rowOf(e) && this.choose(this.rowOf(e)));
      this.body.addEventListener('dblclick', (e) => this.rowOf(e) && this.open(this.rowOf(e)));
      this.body.addEventListener('keydown', (e) => this.onKey(e));
    }
    this.abort = new AbortController();
    const signal = this.abort.signal;
    const listener = window.fdc3?.addContextListener('fdc3.instrument', (ctx) => this.highlight(ctx?.id?.ticker));
    signal.addEventListener('abort', () => listener?.then((l) => l.unsubscribe()).catch(() => {}));
    // The saved selection: `getState()` answers {} until the SDK's hello
    // (`fdc3Ready`), which may come before or after this module runs.
    const restore = () => {
      const saved = window.tessera?.getState()?.selected;
      if (saved && !this.selected) this.highlight(saved);
    };
    restore();
    window.addEventListener('fdc3Ready', restore, { once: true, signal });
    this.run(signal);
  }

  disconnectedCallback() {
    this.abort?.abort();
  }

  /** Loads the quotes (trying again every 2 s until they come), then follows the ticks. */
  async run(signal) {
    while (!(await this.refresh(signal))) {
      if (signal.aborted) return;
      await sleep(RETRY_MS, signal);
    }
    await followTicks(signal, {
      onTicks: (ticks) => this.onTicks(ticks, signal),
      onStatus: (e) => {
        if (e) {
          console.warn('watchlist ticks:', e);
          this.setStatus(`${describe(e)}: prices are not live. Reconnecting…`);
          this.table.classList.add('stale');
        } else {
          this.setStatus(null);
          this.table.classList.remove('stale');
          // Back after an outage: the service may have restarted, or a new day begun.
          this.refresh(signal);
        }
      },
    });
  }

  /** Asks for the quotes and shows them; false when that failed (the reason is shown). */
  async refresh(signal) {
    try {
      const quotes = await getInstruments(signal);
      if (signal.aborted) return false;
      this.show(quotes);
      this.setStatus(quotes.length ? null : 'The market-data service has no instruments.', 'info');
      return true;
    } catch (e) {
      if (signal.aborted) return false;
      console.warn('watchlist:', e);
      this.setStatus(`${describe(e)}. Trying again…`);
      return false;
    }
  }

  /** Updates the rows in place, or makes them anew when the instruments changed. */
  show(quotes) {
    const same = quotes.length === this.rows.size && quotes.every((q) => this.rows.has(q.symbol));
    if (same) {
      for (const q of quotes) this.rows.get(q.symbol).setQuote(q);
      return;
    }
    const hadFocus = this.shadowRoot.activeElement?.dataset?.ticker;
    this.rows = new Map(quotes.map((q) => [q.symbol, new Row(q)]));
    this.body.replaceChildren(...[...this.rows.values()].map((r) => r.tr));
    this.highlight(this.selected);
    if (hadFocus) this.rows.get(hadFocus)?.tr.focus();
  }

  onTicks(ticks, signal) {
    // Only each symbol's latest tick of the answer is drawn (after an outage
    // an answer can hold many).
    const latest = new Map();
    for (const t of ticks) latest.set(t.symbol, t);
    let newDay = false;
    for (const t of latest.values()) {
      const row = this.rows.get(t.symbol);
      if (!row) continue;
      newDay ||= utcDay(t.time) > utcDay(row.quote.time);
      row.tick(t);
    }
    // A new day has a new previous close: ask for the quotes again.
    if (newDay) this.refresh(signal);
  }

  /** Shows a problem (or, `info`, a note) above the table; null hides it. */
  setStatus(text, kind = 'problem') {
    this.status.hidden = text === null;
    this.status.textContent = text ?? '';
    this.status.classList.toggle('info', kind === 'info');
  }

  rowOf(e) {
    const tr = e.target.closest?.('tr[data-ticker]');
    return tr ? this.rows.get(tr.dataset.ticker) : undefined;
  }

  /** Selects a row, broadcasts its instrument and saves it. */
  choose(row) {
    this.highlight(row.symbol);
    this.focusRow(row);
    window.fdc3?.broadcast(row.context)?.catch?.((e) => console.warn('watchlist broadcast:', e));
    window.tessera?.setState({ selected: row.symbol });
  }

  open(row) {
    window.fdc3?.raiseIntent('ViewChart', row.context).catch((e) => console.warn('watchlist ViewChart:', e));
  }

  /** Marks `ticker`'s row selected (without broadcasting); the one Tab reaches. */
  highlight(ticker) {
    const upper = typeof ticker === 'string' ? ticker.toUpperCase() : undefined;
    this.selected = [...this.rows.keys()].find((s) => s.toUpperCase() === upper) ?? ticker;
    for (const row of this.rows.values()) row.setSelected(row.symbol === this.selected);
    this.updateTabStop();
  }

  /** One row is in the Tab order: the focused one, else the selected one, else the first. */
  updateTabStop(focused) {
    const rows = [...this.rows.values()];
    const active = this.shadowRoot.activeElement;
    const stop = focused ?? rows.find((r) => r.tr === active) ?? this.rows.get(this.selected) ?? rows[0];
    for (const row of rows) row.tr.tabIndex = row === stop ? 0 : -1;
  }

  focusRow(row) {
    this.updateTabStop(row);
    row.tr.focus();
  }

  onKey(e) {
    const row = this.rowOf(e);
    if (!row || e.altKey || e.ctrlKey || e.metaKey) return;
    const rows = [...this.rows.values()];
    const i = rows.indexOf(row);
    const page = Math.max(1, Math.floor(this.body.parentElement.parentElement.clientHeight / (row.tr.offsetHeight || 30)) - 1);
    const to = {
      ArrowDown: i + 1,
      ArrowUp: i - 1,
      Home: 0,
      End: rows.length - 1,
      PageDown: i + page,
      PageUp: i - page,
    }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      this.focusRow(rows[Math.min(rows.length - 1, Math.max(0, to))]);
    } else if (e.key === 'Enter' && e.shiftKey) {
      e.preventDefault();
      this.open(row);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.choose(row);
    }
  }
}

customElements.define('tessera-watchlist', TesseraWatchlist);
