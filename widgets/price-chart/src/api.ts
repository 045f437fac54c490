// The market-data backend, reached as `api/*` relative to the frame's
// document (`widget://tessera.price-chart/`): the shell forwards it through
// the server and the widget's sidecar to `tessera-market-data`.

export interface Quote {
  symbol: string;
  name: string;
  exchange: string;
  currency: string;
  sector: string;
  last: number;
  previous_close: number;
  change: number;
  /** In percent: 1.23 means +1.23%. */
  change_pct: number;
  /** RFC 3339, UTC. */
  time: string;
}

/** `GET /instruments/{symbol}`: the quote and today's session so far. */
export interface InstrumentDetail extends Quote {
  description: string;
  isin: string;
  open: number;
  high: number;
  low: number;
  volume: number;
  market_cap: number;
}

/** One completed day. */
export interface Bar {
  /** YYYY-MM-DD */
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface Tick {
  seq: number;
  symbol: string;
  price: number;
  /** RFC 3339, UTC. */
  time: string;
}

export interface TickBatch {
  /** The latest sequence number: the next `after`. */
  seq: number;
  ticks: Tick[];
}

/** A request that failed: the HTTP status (0 when nothing answered) and the backend's error code, if it sent one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Longer than the longest long poll (10 s) and the shell's own limit (15 s). */
const TIMEOUT_MS = 20_000;

async function getJson(path: string, signal: AbortSignal): Promise<unknown> {
  // One controller for both the caller's abort and the timeout.
  const ctl = new AbortController();
  const abort = () => ctl.abort();
  signal.addEventListener('abort', abort);
  const timer = setTimeout(abort, TIMEOUT_MS);
  try {
    let res: Response;
    try {
      res = await fetch(path, { signal: ctl.signal, cache: 'no-store' });
    } catch (e) {
      if (signal.aborted) throw e;
      throw new ApiError(`${path}: no answer (${(e as Error).message || e})`, 0);
    }
    const text = await res.text();
    if (!res.ok) {
      let code: string | undefined;
      let message = text.slice(0, 200);
      try {
        const body = JSON.parse(text) as { code?: string; message?: string };
        code = body.code;
        message = body.message ?? message;
      } catch {
        // Not JSON: the shell's or the sidecar's own words.
      }
      throw new ApiError(`${path}: HTTP ${res.status} ${message}`, res.status, code);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(`${path}: the answer is not JSON`, res.status);
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
  }
}

function unexpected(path: string): ApiError {
  return new ApiError(`${path}: unexpected answer`, 200);
}

export async function getHistory(symbol: string, days: number, signal: AbortSignal): Promise<Bar[]> {
  const path = `api/history/${encodeURIComponent(symbol)}?days=${days}`;
  const body = (await getJson(path, signal)) as { bars?: Bar[] };
  if (!Array.isArray(body?.bars)) throw unexpected(path);
  return body.bars;
}

export async function getInstrument(symbol: string, signal: AbortSignal): Promise<InstrumentDetail> {
  const path = `api/instruments/${encodeURIComponent(symbol)}`;
  const body = (await getJson(path, signal)) as InstrumentDetail;
  if (typeof body?.last !== 'number') throw unexpected(path);
  return body;
}

/** Without `after`: the latest tick of every symbol at once. With it: the ticks since, waiting up to `wait` s for one. */
export async function getTicks(after: number | undefined, wait: number, signal: AbortSignal): Promise<TickBatch> {
  const path = after === undefined ? 'api/ticks' : `api/ticks?after=${after}&wait=${wait}`;
  const body = (await getJson(path, signal)) as TickBatch;
  if (typeof body?.seq !== 'number' || !Array.isArray(body.ticks)) throw unexpected(path);
  return body;
}
