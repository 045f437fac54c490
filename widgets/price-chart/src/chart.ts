// The drawing: daily candles with volume below, by lightweight-charts, and
// today's bar kept up to date from ticks.
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  createChart,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
} from 'lightweight-charts';

import type { Bar, InstrumentDetail } from './api';
import { withAlpha, type ChartColours } from './theme';

/** A day's bar; `volume` unknown for a day only seen through ticks. */
interface Day {
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number;
}

/** The UTC calendar day of an RFC 3339 time, as `YYYY-MM-DD`. */
export function utcDay(time: string): string {
  const t = new Date(time);
  return Number.isNaN(t.getTime()) ? time.slice(0, 10) : t.toISOString().slice(0, 10);
}

/**
 * The locale for the chart's labels. lightweight-charts takes
 * `navigator.language` by default, which is `C` when the app runs with
 * LANG=C (WebKitGTK passes it on), and the chart then throws RangeError on
 * every paint: so a tag that Intl accepts, else the runtime's own default.
 */
function chartLocale(): string {
  try {
    return Intl.getCanonicalLocales(navigator.language)[0] ?? 'en-US';
  } catch {
    return new Intl.NumberFormat().resolvedOptions().locale;
  }
}

export class DailyChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private colours: ChartColours;
  private days: Day[] = [];

  constructor(container: HTMLElement, colours: ChartColours) {
    this.colours = colours;
    // autoSize: the chart follows its container's size (a ResizeObserver).
    this.chart = createChart(container, {
      autoSize: true,
      localization: { locale: chartLocale() },
      timeScale: { rightOffset: 3 },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, { borderVisible: false });
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceFormat: { type: 'volume' },
      priceScaleId: 'volume',
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.setColours(colours);
  }

  setColours(c: ChartColours): void {
    this.colours = c;
    this.chart.applyOptions({
      layout: {
        background: { type: ColorType.Solid, color: c.bg },
        textColor: c.muted,
        fontFamily: 'system-ui, sans-serif',
        fontSize: 11,
      },
      grid: {
        vertLines: { color: withAlpha(c.border, 0.5) },
        horzLines: { color: withAlpha(c.border, 0.5) },
      },
      rightPriceScale: { borderColor: c.border },
      timeScale: { borderColor: c.border },
    });
    this.candles.applyOptions({
      upColor: c.up,
      downColor: c.down,
      wickUpColor: c.up,
      wickDownColor: c.down,
    });
    this.volume.setData(this.days.filter((d) => d.volume !== undefined).map((d) => this.volumeOf(d)));
  }

  /**
   * The completed days, then today so far from the instrument's quote (when
   * the quote is of a later day than the last bar).
   */
  show(bars: Bar[], today: InstrumentDetail): void {
    this.days = bars.map((b) => ({
      time: b.date,
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
    }));
    const day = utcDay(today.time);
    const last = this.days[this.days.length - 1];
    if (!last || day > last.time) {
      this.days.push({
        time: day,
        open: today.open,
        high: Math.max(today.high, today.last),
        low: Math.min(today.low, today.last),
        close: today.last,
        volume: today.volume,
      });
    }
    this.candles.setData(this.days.map((d) => this.candleOf(d)));
    this.volume.setData(this.days.filter((d) => d.volume !== undefined).map((d) => this.volumeOf(d)));
    this.chart.timeScale().fitContent();
  }

  /** A trade at `price`: today's bar moves (or a new day's bar starts). */
  tick(price: number, time: string): void {
    const day = utcDay(time);
    const last = this.days[this.days.length - 1];
    if (!last || day > last.time) {
      const bar: Day = { time: day, open: price, high: price, low: price, close: price };
      this.days.push(bar);
      this.candles.update(this.candleOf(bar));
    } else if (day === last.time) {
      last.close = price;
      last.high = Math.max(last.high, price);
      last.low = Math.min(last.low, price);
      this.candles.update(this.candleOf(last));
      if (last.volume !== undefined) this.volume.update(this.volumeOf(last));
    }
    // A tick of an earlier day than the last bar is stale: nothing to draw.
  }

  remove(): void {
    this.chart.remove();
  }

  private candleOf(d: Day): CandlestickData<string> {
    return { time: d.time, open: d.open, high: d.high, low: d.low, close: d.close };
  }

  private volumeOf(d: Day): HistogramData<string> {
    const colour = d.close >= d.open ? this.colours.up : this.colours.down;
    return { time: d.time, value: d.volume ?? 0, color: withAlpha(colour, 0.35) };
  }
}
