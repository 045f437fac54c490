// <tessera-tracker>: the hits the tracking pixel counted, from tessera-tracker.
// A histogram over the shown range (a "last N" preset that slides with time,
// or a fixed range a linked widget sent as fdc3.timeRange), the top pages of
// that range or of the span brushed on the chart, and the latest hits. New
// hits arrive by long poll; a brush broadcasts its span as fdc3.timeRange.
import type { Context, Listener } from '@finos/fdc3';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';

import { errorText, getHistogram, getPages, type Bucket, type Histogram, type Hit, type PageHits } from './api';
import { createChart, type HistogramChart } from './chart';
import { saveState, savedState } from './host';
import { followHits } from './live';
import {
  DEFAULT_PRESET,
  PRESETS,
  countIn,
  formatClock,
  formatCount,
  formatDuration,
  formatRange,
  preset,
  presetRange,
  rangeOfContext,
  sameRange,
  snapToBuckets,
  timeRangeContext,
  withHits,
  type PresetId,
  type Range,
} from './range';
import { css } from './styles';
import { chartColours, onThemeChange } from './theme';

export const TAG = 'tessera-tracker';

/** Rows of the top pages. */
export const PAGE_LIMIT = 10;
/** Hits in the "latest" list. */
export const LATEST = 5;
/** Live hits refresh the histogram and the pages at most this often. */
export const REFRESH_MIN_MS = 1_000;
/** A failed load is tried again after this long (or at once with "Retry"). */
export const RETRY_MS = 5_000;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class TrackerElement extends HTMLElement {
  // What is shown.
  private presetId: PresetId = DEFAULT_PRESET;
  /** A range received as fdc3.timeRange: shown as it is, not sliding. */
  private fixed: Range | null = null;
  /** Only this page's hits in the histogram. */
  private page: string | null = null;
  /** The span brushed on the chart (whole buckets). */
  private brush: Range | null = null;

  // What the backend said.
  private hist: Histogram | null = null;
  private pages: PageHits[] | null = null;
  private pagesRange: Range | null = null;
  private latest: Hit[] = [];
  private fresh = new Set<number>();
  private loadProblem: string | null = null;
  private problems: { hist: string | null; pages: string | null } = { hist: null, pages: null };
  /** null: connected; undefined: not yet. */
  private liveProblem: string | null | undefined = undefined;
  private note: string | null = null;
  private hover: Bucket | null = null;

  /** The user chose a preset or a page: the saved state (read again on fdc3Ready) no longer applies. */
  private touched = false;
  /** The last range this panel broadcast. */
  private sent: Range | null = null;

  private root!: ShadowRoot;
  private els!: {
    n: HTMLElement;
    unit: HTMLElement;
    scope: HTMLElement;
    presets: HTMLElement;
    live: HTMLElement;
    liveText: HTMLElement;
    chips: HTMLElement;
    problem: HTMLElement;
    problemMsg: HTMLElement;
    note: HTMLElement;
    chartBox: HTMLElement;
    readout: HTMLElement;
    overlay: HTMLElement;
    pagesSub: HTMLElement;
    pageList: HTMLElement;
    pagesNone: HTMLElement;
    hitList: HTMLElement;
  };
  private chart: HistogramChart | null = null;
  private listener: Promise<Listener> | null = null;
  /** Aborts everything of one connection: the live loop, the loads. */
  private work: AbortController | null = null;
  private histLoad: AbortController | null = null;
  private pagesLoad: AbortController | null = null;
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private lastRefresh = 0;
  private cleanup: (() => void)[] = [];

  connectedCallback(): void {
    if (!this.root) this.build();
    // The saved preset and page (again on fdc3Ready, when the SDK has them).
    this.restore();
    this.work = new AbortController();
    const signal = this.work.signal;
    this.chart = createChart(this.els.chartBox, chartColours(this), {
      onBrush: (a, b) => void this.brushed(a, b),
      onHover: (bucket) => {
        this.hover = bucket;
        this.renderReadout();
      },
    });
    this.cleanup.push(onThemeChange(() => this.chart?.setColours(chartColours(this))));
    const ready = () => {
      this.listen();
      this.restore();
    };
    window.addEventListener('fdc3Ready', ready);
    this.cleanup.push(() => window.removeEventListener('fdc3Ready', ready));
    this.listen();
    this.reload();
    void followHits(signal, {
      onHits: (hits) => this.onHits(hits),
      onRecent: (hits) => {
        this.prependLatest(hits);
        this.renderLatest();
      },
      onStatus: (problem) => {
        this.liveProblem = problem;
        this.renderLive();
      },
    });
  }

  disconnectedCallback(): void {
    for (const f of this.cleanup.splice(0)) f();
    this.work?.abort();
    this.work = null;
    this.histLoad?.abort();
    this.pagesLoad?.abort();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.chart?.destroy();
    this.chart = null;
    const l = this.listener;
    this.listener = null;
    l?.then((x) => x.unsubscribe()).catch(() => {});
  }

  // ---- What the user and the linked widgets do --------------------------

  /** Shows the last `id` (sliding with time), and keeps that choice with the layout. */
  choosePreset(id: PresetId): void {
    this.touched = true;
    this.presetId = id;
    this.fixed = null;
    this.sent = null;
    this.clearBrush(false);
    this.save();
    this.reload();
  }

  /** Only `page`'s hits in the histogram; null: every page. */
  filterPage(page: string | null): void {
    this.touched = true;
    if (page === this.page) return;
    this.page = page;
    this.save();
    this.loadHistogram();
    this.render();
  }

  /**
   * The brush: a drag on the chart from `a` to `b` (epoch ms, either way
   * round). It snaps to whole buckets, marks them, shows their top pages and
   * broadcasts them as fdc3.timeRange. Returns the span, or null when the
   * drag missed the histogram.
   */
  async brushed(a: number, b: number): Promise<Range | null> {
    if (!this.hist) return null;
    const r = snapToBuckets(a, b, this.hist);
    if (!r) return null;
    this.brush = r;
    this.chart?.mark(r);
    this.loadPages();
    this.render();
    await this.broadcast(r);
    return r;
  }

  /** Back to the whole range: the mark goes, the pages are the range's again. Nothing is broadcast. */
  clearBrush(reload = true): void {
    if (!this.brush) return;
    this.brush = null;
    this.chart?.mark(null);
    if (reload) {
      this.loadPages();
      this.render();
    }
  }

  /** An fdc3.timeRange from the panel's channel: shown as a fixed range. Never broadcast back. */
  received(ctx: Context): void {
    const r = rangeOfContext(ctx, Date.now(), this.span());
    // What this panel sent, coming back through another widget, is already shown.
    if (!r || sameRange(r, this.sent) || (sameRange(r, this.fixed) && !this.brush)) return;
    this.fixed = r;
    this.clearBrush(false);
    this.reload();
  }

  // ---- The state -------------------------------------------------------

  /** The range shown now: the received one, or the preset up to now. */
  private range(now = Date.now()): Range {
    return this.fixed ?? presetRange(this.presetId, now);
  }

  private get sliding(): boolean {
    return this.fixed === null;
  }

  private span(): number {
    return preset(this.presetId).ms;
  }

  private save(): void {
    saveState({ preset: this.presetId, page: this.page });
  }

  /** The saved preset and page, unless the user chose already. (Under a received range too: its ✕ goes back to the preset.) */
  private restore(): void {
    if (this.touched) return;
    const s = savedState();
    const presetId = s.preset ?? this.presetId;
    const page = s.page ?? null;
    if (presetId === this.presetId && page === this.page) return;
    this.presetId = presetId;
    this.page = page;
    if (this.work) this.reload();
  }

  private listen(): void {
    if (this.listener || !window.fdc3 || !this.work) return;
    this.listener = window.fdc3.addContextListener('fdc3.timeRange', (ctx) => this.received(ctx));
    this.listener.catch((e) => {
      console.warn('tessera-tracker: cannot listen for fdc3.timeRange', e);
      this.listener = null;
    });
  }

  private async broadcast(r: Range): Promise<void> {
    this.sent = r;
    const agent = window.fdc3;
    if (!agent) {
      this.setNote('FDC3 is not available here: the range was not shared.');
      return;
    }
    try {
      await agent.broadcast(timeRangeContext(r));
      this.setNote(null);
    } catch (e) {
      this.setNote(`Could not share the range: ${errorText(e)}`);
    }
  }

  private setNote(text: string | null): void {
    this.note = text;
    this.clearTimer('note');
    if (text) this.setTimer('note', () => this.setNote(null), 8_000);
    this.renderNote();
  }

  // ---- Loading ---------------------------------------------------------

  /** The histogram and the pages of what is shown now. */
  private reload(): void {
    this.lastRefresh = Date.now();
    this.clearTimer('refresh');
    this.loadHistogram();
    this.loadPages();
    this.render();
  }

  private loadHistogram(): void {
    if (!this.work) return;
    this.histLoad?.abort();
    const ctl = new AbortController();
    this.histLoad = ctl;
    const r = this.range();
    const page = this.page;
    getHistogram({ from: r.from, to: r.to, page }, ctl.signal).then(
      (h) => {
        if (ctl.signal.aborted) return;
        this.hist = h;
        this.chart?.show(h, this.brush);
        // A "last N" range slides: load again as the time passes, a bucket at a time.
        if (this.sliding) this.setTimer('slide', () => this.refresh(), Math.min(Math.max(h.bucket_ms, 5_000), 300_000));
        else this.clearTimer('slide');
        this.loaded('hist', null);
      },
      (e) => {
        if (!ctl.signal.aborted) this.loaded('hist', e);
      },
    );
  }

  private loadPages(): void {
    if (!this.work) return;
    this.pagesLoad?.abort();
    const ctl = new AbortController();
    this.pagesLoad = ctl;
    const r = this.brush ?? this.range();
    getPages({ from: r.from, to: r.to, limit: PAGE_LIMIT }, ctl.signal).then(
      (pages) => {
        if (ctl.signal.aborted) return;
        this.pages = pages;
        this.pagesRange = r;
        this.loaded('pages', null);
      },
      (e) => {
        if (!ctl.signal.aborted) this.loaded('pages', e);
      },
    );
  }

  /** A load ended: `e` is its error, or null. A failure is tried again after RETRY_MS. */
  private loaded(kind: 'hist' | 'pages', e: unknown): void {
    this.problems[kind] = e ? errorText(e) : null;
    this.loadProblem = this.problems.hist ?? this.problems.pages;
    if (this.loadProblem) {
      if (e) this.setTimer('retry', () => this.reload(), RETRY_MS);
    } else {
      this.clearTimer('retry');
    }
    this.render();
  }

  /** Loads again, at most once a second: live hits and the passing time call it. */
  private refresh(): void {
    if (this.timers.has('refresh') || !this.work) return;
    const wait = Math.max(0, this.lastRefresh + REFRESH_MIN_MS - Date.now());
    this.setTimer('refresh', () => this.reload(), wait);
  }

  /** `hits` (oldest first) at the top of the latest list, newest first. */
  private prependLatest(hits: Hit[]): void {
    this.latest = [...hits].reverse().concat(this.latest).slice(0, LATEST);
  }

  /** New hits from the live poll: the latest list, the histogram's buckets, and a refresh when they count in what is shown. */
  private onHits(hits: Hit[]): void {
    for (const h of hits) this.fresh.add(h.id);
    this.prependLatest(hits);
    this.setTimer('fresh', () => {
      this.fresh.clear();
      this.renderLatest();
    }, 1_500);
    const shown = this.range();
    const inShown = (at: number) => at >= shown.from && (this.sliding || at < shown.to);
    const pagesRange = this.brush ?? shown;
    const inPages = (at: number) => at >= pagesRange.from && ((this.sliding && !this.brush) || at < pagesRange.to);
    if (this.hist) {
      const next = withHits(this.hist, hits, this.page, this.sliding);
      if (next !== this.hist) {
        this.hist = next;
        this.chart?.show(next, this.brush);
      }
    }
    if (hits.some((h) => inShown(h.at) || inPages(h.at))) this.refresh();
    this.render();
  }

  private setTimer(name: string, fn: () => void, ms: number): void {
    this.clearTimer(name);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        fn();
      }, ms),
    );
  }

  private clearTimer(name: string): void {
    const t = this.timers.get(name);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(name);
  }

  // ---- Drawing ----------------------------------------------------------

  private build(): void {
    this.root = this.attachShadow({ mode: 'open' });
    this.root.innerHTML = `<style>${uplotCss}${css}</style>
      <div class="wrap">
        <header>
          <div class="total"><strong class="n">–</strong><span class="unit">hits</span><span class="scope"></span></div>
          <div class="presets" role="group" aria-label="Range">${PRESETS.map(
            (p) => `<button type="button" data-preset="${p.id}" title="The ${esc(p.long)}, sliding with time">${esc(p.label)}</button>`,
          ).join('')}</div>
          <span class="live"><span class="dot"></span><span class="live-text">Connecting…</span></span>
          <div class="chips"></div>
        </header>
        <div class="problem" role="alert" hidden><span class="msg"></span><button type="button" class="retry">Retry</button></div>
        <div class="note" role="status" hidden></div>
        <div class="body">
          <figure class="chart-wrap">
            <div class="chart" tabindex="0" role="img"></div>
            <div class="readout" aria-hidden="true" hidden></div>
            <div class="overlay" hidden></div>
          </figure>
          <section class="pages" aria-labelledby="pages-title">
            <h2 id="pages-title">Top pages<span class="sub"></span></h2>
            <ol class="page-list"></ol>
            <p class="none" hidden></p>
          </section>
          <section class="latest" aria-labelledby="latest-title">
            <h2 id="latest-title">Latest</h2>
            <ol class="hit-list"></ol>
          </section>
        </div>
      </div>`;
    const q = <T extends HTMLElement = HTMLElement>(s: string) => this.root.querySelector(s) as T;
    this.els = {
      n: q('.total .n'),
      unit: q('.total .unit'),
      scope: q('.scope'),
      presets: q('.presets'),
      live: q('.live'),
      liveText: q('.live-text'),
      chips: q('.chips'),
      problem: q('.problem'),
      problemMsg: q('.problem .msg'),
      note: q('.note'),
      chartBox: q('.chart'),
      readout: q('.readout'),
      overlay: q('.overlay'),
      pagesSub: q('.pages h2 .sub'),
      pageList: q('.page-list'),
      pagesNone: q('.pages .none'),
      hitList: q('.hit-list'),
    };
    this.els.presets.addEventListener('click', (e) => {
      const id = (e.target as HTMLElement).closest<HTMLElement>('[data-preset]')?.dataset.preset as PresetId | undefined;
      if (id) this.choosePreset(id);
    });
    this.els.chips.addEventListener('click', (e) => {
      const what = (e.target as HTMLElement).closest<HTMLElement>('[data-clear]')?.dataset.clear;
      if (what === 'brush') this.clearBrush();
      else if (what === 'page') this.filterPage(null);
      else if (what === 'fixed') this.choosePreset(this.presetId);
    });
    this.els.pageList.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-page]');
      if (row) this.filterPage(row.dataset.page === this.page ? null : (row.dataset.page ?? null));
    });
    this.els.chartBox.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.brush) {
        e.preventDefault();
        this.clearBrush();
      }
    });
    q('.retry').addEventListener('click', () => {
      this.clearTimer('retry');
      this.reload();
    });
  }

  private render(): void {
    if (!this.root) return;
    this.renderHeader();
    this.renderChips();
    this.renderProblem();
    this.renderNote();
    this.renderChartText();
    this.renderPages();
    this.renderLatest();
    this.renderLive();
    this.renderReadout();
  }

  /** "The last hour", or the received range. */
  private rangeWords(now = Date.now()): string {
    return this.fixed ? formatRange(this.fixed, now) : preset(this.presetId).long;
  }

  /** "in the last hour", or "in 17:07:00–17:31:30" for a fixed range. */
  private inRange(): string {
    return this.fixed ? `in ${this.rangeWords()}` : `in the ${this.rangeWords()}`;
  }

  private renderHeader(): void {
    const { n, unit, scope, presets } = this.els;
    const h = this.hist;
    const shown = h ? (this.brush ? countIn(h, this.brush) : h.total) : null;
    n.textContent = shown === null ? '–' : formatCount(shown);
    unit.textContent = shown === 1 ? 'hit' : 'hits';
    const parts = [this.brush ? 'selected' : this.rangeWords()];
    if (this.page) parts.push(`on ${this.page}`);
    if (this.brush && h) parts.push(`${formatCount(h.total)} ${this.inRange()}`);
    scope.textContent = parts.join(' · ');
    scope.title = scope.textContent;
    for (const b of presets.querySelectorAll<HTMLElement>('[data-preset]')) {
      b.setAttribute('aria-pressed', String(this.sliding && b.dataset.preset === this.presetId));
    }
  }

  private renderChips(): void {
    const now = Date.now();
    const chip = (kind: string, key: string, value: string, label: string) =>
      `<span class="chip ${kind}"><span class="k">${esc(key)}</span><span class="v" title="${esc(value)}">${esc(value)}</span>` +
      `<button type="button" data-clear="${kind}" aria-label="${esc(label)}" title="${esc(label)}">✕</button></span>`;
    const chips: string[] = [];
    if (this.fixed) {
      chips.push(chip('fixed', 'Linked', formatRange(this.fixed, now), `Back to the ${preset(this.presetId).long}`));
    }
    if (this.page) chips.push(chip('page', 'Page', this.page, 'Show all pages'));
    if (this.brush) chips.push(chip('brush', 'Selected', formatRange(this.brush, now), 'Clear the selection'));
    const html = chips.join('');
    if (this.els.chips.dataset.html !== html) {
      const focused = (this.root.activeElement as HTMLElement | null)?.dataset?.clear;
      this.els.chips.innerHTML = html;
      this.els.chips.dataset.html = html;
      if (focused) this.els.chips.querySelector<HTMLElement>(`[data-clear="${focused}"]`)?.focus();
    }
  }

  private renderProblem(): void {
    this.els.problem.hidden = !this.loadProblem;
    this.els.problemMsg.textContent = this.loadProblem ? `Cannot load the hits: ${this.loadProblem}` : '';
  }

  private renderNote(): void {
    this.els.note.hidden = !this.note;
    this.els.note.textContent = this.note ?? '';
  }

  private renderChartText(): void {
    const h = this.hist;
    const { overlay, chartBox } = this.els;
    let text: string | null = null;
    if (!h) text = this.loadProblem ? 'No data' : 'Loading…';
    else if (h.total === 0) text = `No hits${this.page ? ` on ${this.page}` : ''} ${this.inRange()}`;
    else if (!this.chart) text = null;
    overlay.hidden = text === null;
    overlay.textContent = text ?? '';
    // No axes of nothing before the first histogram.
    chartBox.classList.toggle('blank', !h);
    if (!h) {
      chartBox.setAttribute('aria-label', 'Hits over time: loading');
      return;
    }
    const top = h.buckets.reduce<Bucket | null>((a, b) => (!a || b.count > a.count ? b : a), null);
    const busiest = top && top.count > 0 ? ` Busiest: ${formatClock(top.start)}, ${formatCount(top.count)}.` : '';
    const brush = this.brush ? ` Selected ${formatRange(this.brush, Date.now())}: ${formatCount(countIn(h, this.brush))}; Escape clears it.` : '';
    chartBox.setAttribute(
      'aria-label',
      `Hits${this.page ? ` on ${this.page}` : ''} per ${formatDuration(h.bucket_ms)}, ${this.rangeWords()}: ` +
        `${formatCount(h.total)} in all.${busiest}${brush} Drag across the chart to select a span.`,
    );
  }

  private renderPages(): void {
    const { pageList, pagesNone, pagesSub } = this.els;
    const pr = this.pagesRange;
    pagesSub.textContent = pr ? (this.brush && sameRange(pr, this.brush) ? formatRange(pr, Date.now()) : this.rangeWords()) : '';
    const pages = this.pages;
    pagesNone.hidden = !pages || pages.length > 0;
    pagesNone.textContent = 'No hits in this range';
    const max = Math.max(1, ...(pages ?? []).map((p) => p.hits));
    const html = (pages ?? [])
      .map((p) => {
        const on = p.page === this.page;
        const tip = on ? `Showing only ${p.page}: select again for all pages` : `Show only ${p.page} in the histogram`;
        return (
          `<li><button type="button" class="page-row" data-page="${esc(p.page)}" aria-pressed="${on}" title="${esc(tip)}">` +
          `<span class="bar" style="width:${((p.hits / max) * 100).toFixed(1)}%"></span>` +
          `<span class="name">${esc(p.page)}</span><span class="hits">${formatCount(p.hits)}</span></button></li>`
        );
      })
      .join('');
    if (pageList.dataset.html === html) return;
    // Rebuilt: the focused row keeps the focus.
    const focused = (this.root.activeElement as HTMLElement | null)?.dataset?.page;
    pageList.innerHTML = html;
    pageList.dataset.html = html;
    if (focused !== undefined) {
      for (const b of pageList.querySelectorAll<HTMLElement>('[data-page]')) if (b.dataset.page === focused) b.focus();
    }
  }

  private renderLatest(): void {
    const list = this.els.hitList;
    const html = !this.latest.length
      ? `<li class="none">${this.liveProblem === undefined ? 'Connecting…' : this.liveProblem === null ? 'Waiting for hits…' : 'Not receiving hits'}</li>`
      : this.latest
      .map((h) => {
        const tip = [h.referrer && `from ${h.referrer}`, h.user_agent].filter(Boolean).join(' · ');
        return (
          `<li class="hit${this.fresh.has(h.id) ? ' new' : ''}"${tip ? ` title="${esc(tip)}"` : ''}>` +
          `<time datetime="${new Date(h.at).toISOString()}">${formatClock(h.at)}</time>` +
          `<span class="page">${esc(h.page)}</span>${h.user ? `<span class="user">${esc(h.user)}</span>` : ''}</li>`
        );
      })
      .join('');
    // Unchanged, it stays (a new hit's highlight is not started again).
    if (list.dataset.html === html) return;
    list.innerHTML = html;
    list.dataset.html = html;
  }

  private renderLive(): void {
    const { live, liveText } = this.els;
    const p = this.liveProblem;
    live.classList.toggle('on', p === null);
    live.classList.toggle('off', typeof p === 'string');
    liveText.textContent = p === undefined ? 'Connecting…' : p === null ? 'Live' : 'Reconnecting…';
    live.title = p ? `New hits are not arriving: ${p}` : p === null ? 'New hits arrive as they are counted' : '';
    this.renderLatest();
  }

  private renderReadout(): void {
    const { readout } = this.els;
    const b = this.hover;
    const h = this.hist;
    readout.hidden = !b || !h;
    if (!b || !h) return;
    readout.textContent = `${formatRange({ from: b.start, to: b.start + h.bucket_ms }, Date.now())} · ${formatCount(b.count)} ${b.count === 1 ? 'hit' : 'hits'}`;
  }
}
