// The market-data backend (tessera-market-data), as this widget's frame
// reaches it: relative URLs under `api/`, which the shell sends through the
// server to the widget's sidecar and on to the backend named in widget.toml.

/** `GET /instruments` rows; `change_pct` is in percent (1.23 is +1.23 %). */
export interface Quote {
  symbol: string;
  name: string;
  exchange: string;
  currency: string;
  sector: string;
  last: number;
  previous_close: number;
  change: number;
  change_pct: number;
  /** RFC 3339, UTC. */
  time: string;
}

/** `GET /instruments/{symbol}`. */
export interface Details extends Quote {
  description: string;
  isin: string;
  open: number;
  high: number;
  low: number;
  volume: number;
  market_cap: number;
}

export interface Tick {
  seq: number;
  symbol: string;
  price: number;
  time: string;
}

/** `GET /ticks`: the ticks after `after` and the latest sequence number. */
export interface TickBatch {
  seq: number;
  ticks: Tick[];
}

/** A problem with a call, worded for the widget's user. */
export class MarketDataError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the call got an answer. */
    readonly status?: number,
    /** The backend's error code (`not_found`, …), when it gave one. */
    readonly code?: string,
    /** The answer's own words (its `message`, or its text), when there was an answer. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'MarketDataError';
  }
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** GETs `url` and parses its JSON; every failure is a MarketDataError that names it. */
export async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  let resp: Response;
  try {
    resp = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new MarketDataError(`The market-data service is not answering (${errorText(e)}).`);
  }
  const text = await resp.text();
  if (!resp.ok) {
    // The backend answers {"code", "message"}; the server and the shell
    // answer a JSON envelope or plain text (e.g. 502 "… is not answering").
    let message = text.trim();
    let code: string | undefined;
    try {
      const body = JSON.parse(text) as { code?: unknown; message?: unknown };
      if (typeof body.message === 'string') message = body.message;
      if (typeof body.code === 'string') code = body.code;
    } catch {
      // plain text
    }
    throw new MarketDataError(`${url}: ${resp.status} ${message || resp.statusText}`.trim(), resp.status, code, message || undefined);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new MarketDataError(`${url}: the answer is not JSON.`, resp.status);
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Kind = 'string' | 'number';

/** Checks that `value` is an object with these fields of these kinds. */
function expect(where: string, value: unknown, fields: Record<string, Kind>): Record<string, unknown> {
  if (!value || typeof value !== 'object') throw new MarketDataError(`${where}: expected an object.`);
  const obj = value as Record<string, unknown>;
  for (const [field, kind] of Object.entries(fields)) {
    const v = obj[field];
    const ok = kind === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'string';
    if (!ok) throw new MarketDataError(`${where}: \`${field}\` is missing or not a ${kind}.`);
  }
  return obj;
}

const QUOTE_FIELDS: Record<string, Kind> = {
  symbol: 'string',
  name: 'string',
  exchange: 'string',
  currency: 'string',
  sector: 'string',
  last: 'number',
  previous_close: 'number',
  change: 'number',
  change_pct: 'number',
  time: 'string',
};

const DETAIL_FIELDS: Record<string, Kind> = {
  ...QUOTE_FIELDS,
  description: 'string',
  isin: 'string',
  open: 'number',
  high: 'number',
  low: 'number',
  volume: 'number',
  market_cap: 'number',
};

export function asQuote(where: string, value: unknown): Quote {
  return expect(where, value, QUOTE_FIELDS) as unknown as Quote;
}

export function asDetails(where: string, value: unknown): Details {
  return expect(where, value, DETAIL_FIELDS) as unknown as Details;
}

export function asTickBatch(where: string, value: unknown): TickBatch {
  const obj = expect(where, value, { seq: 'number' });
  if (!Array.isArray(obj.ticks)) throw new MarketDataError(`${where}: \`ticks\` is missing or not an array.`);
  obj.ticks.forEach((t, i) => expect(`${where}: ticks[${i}]`, t, { seq: 'number', symbol: 'string', price: 'number', time: 'string' }));
  return obj as unknown as TickBatch;
}

export async function fetchInstruments(signal?: AbortSignal): Promise<Quote[]> {
  const url = 'api/instruments';
  const body = await getJson(url, signal);
  const list = (body as { instruments?: unknown } | null)?.instruments;
  if (!Array.isArray(list)) throw new MarketDataError(`${url}: \`instruments\` is missing or not an array.`);
  return list.map((q, i) => asQuote(`${url}: instruments[${i}]`, q));
}

export async function fetchDetails(symbol: string, signal?: AbortSignal): Promise<Details> {
  const url = `api/instruments/${encodeURIComponent(symbol)}`;
  return asDetails(url, await getJson(url, signal));
}

/** Resolves after `ms`, or rejects with an AbortError when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      if (signal?.aborted) reject(new DOMException('aborted', 'AbortError'));
      else resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** How long the backend holds a poll with no new ticks (its maximum). */
export const POLL_WAIT_SECS = 10;
/** After an error: wait, then poll again. */
export const RETRY_MS = 2000;
/** At most one poll started per this many ms, so a busy feed costs a few calls a second, not one per tick. */
export const MIN_POLL_INTERVAL_MS = 500;

export interface FollowOptions {
  signal: AbortSignal;
  /** Ticks in sequence order; the first call brings the latest tick of each symbol. */
  onTicks: (ticks: Tick[]) => void;
  /** null once the feed answers; the problem while it does not (retrying every 2 s). */
  onStatus?: (problem: string | null) => void;
}

/**
 * Follows `GET /ticks` by long poll until `signal` aborts: first without
 * `after` (the latest tick of each symbol at once), then with
 * `after=<last seq>&wait=10`. Frames cannot use SSE through the shell.
 */
export async function followTicks({ signal, onTicks, onStatus }: FollowOptions): Promise<void> {
  let after: number | undefined;
  while (!signal.aborted) {
    const started = Date.now();
    try {
      const url = after === undefined ? 'api/ticks' : `api/ticks?after=${after}&wait=${POLL_WAIT_SECS}`;
      const batch = asTickBatch(url, await getJson(url, signal));
      after = batch.seq;
      onStatus?.(null);
      if (batch.ticks.length > 0) onTicks([...batch.ticks].sort((a, b) => a.seq - b.seq));
      const rest = MIN_POLL_INTERVAL_MS - (Date.now() - started);
      if (rest > 0) await sleep(rest, signal);
    } catch (e) {
      if (signal.aborted || isAbort(e)) return;
      onStatus?.(errorText(e));
      try {
        await sleep(RETRY_MS, signal);
      } catch {
        return;
      }
    }
  }
}

/** A quote moved to `price`: change and change % against the previous close. */
export function repriced<Q extends Quote>(q: Q, price: number, time: string): Q {
  const change = price - q.previous_close;
  return {
    ...q,
    last: price,
    change: Math.round(change * 100) / 100,
    change_pct: q.previous_close ? (change / q.previous_close) * 100 : 0,
    time,
  };
}
