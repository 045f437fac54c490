// One instrument's row: its cells, and how a quote or a tick changes them.
import { changePct, percent, price } from './format.js';

export class Row {
  /** @param quote a Quote of `api/instruments` */
  constructor(quote) {
    this.tr = document.createElement('tr');
    this.tr.dataset.ticker = quote.symbol;
    this.tr.tabIndex = -1;
    this.tr.setAttribute('aria-selected', 'false');
    const cell = (className) => {
      const td = document.createElement('td');
      if (className) td.className = className;
      this.tr.append(td);
      return td;
    };
    const symbol = document.createElement('strong');
    cell().append(symbol);
    symbol.textContent = quote.symbol;
    this.nameCell = cell('name');
    this.lastCell = cell('num last');
    this.changeCell = cell('num change');
    this.flashes = 0;
    this.setQuote(quote);
  }

  get symbol() {
    return this.tr.dataset.ticker;
  }

  /** The FDC3 context this row stands for. */
  get context() {
    return { type: 'fdc3.instrument', id: { ticker: this.symbol }, name: this.quote.name };
  }

  /** A fresh quote: name, close and price as the backend has them now. */
  setQuote(quote) {
    const shown = this.quote;
    this.quote = { ...quote };
    // A tick newer than the quote keeps its price.
    if (shown && Date.parse(shown.time) > Date.parse(quote.time)) {
      this.quote.last = shown.last;
      this.quote.time = shown.time;
    }
    this.nameCell.textContent = quote.name;
    this.nameCell.title = quote.name;
    this.render();
  }

  /** A trade: the price moves (an older trade than the one shown is ignored), and the cell flashes. */
  tick(tick) {
    if (Date.parse(tick.time) < Date.parse(this.quote.time)) return;
    const before = this.quote.last;
    this.quote.last = tick.price;
    this.quote.time = tick.time;
    this.render();
    const td = this.lastCell;
    td.classList.remove('tick-up', 'tick-down', 'tick-same', 'flash-a', 'flash-b');
    td.classList.add(tick.price > before ? 'tick-up' : tick.price < before ? 'tick-down' : 'tick-same');
    td.classList.add(++this.flashes % 2 ? 'flash-a' : 'flash-b');
  }

  setSelected(on) {
    this.tr.setAttribute('aria-selected', on ? 'true' : 'false');
  }

  render() {
    const q = this.quote;
    const pct = changePct(q.last, q.previous_close);
    this.lastCell.textContent = price(q.last);
    this.changeCell.textContent = percent(pct);
    this.changeCell.classList.toggle('up', pct >= 0);
    this.changeCell.classList.toggle('down', pct < 0);
  }
}
