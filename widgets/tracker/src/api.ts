// The tracking-pixel backend (tessera-tracker), as this widget's frame
// reaches it: relative URLs under `api/`, which the shell sends through the
// server to the widget's sidecar and on to the backend named in widget.toml.
// Every time is an integer of Unix epoch milliseconds.

/** One bucket of the histogram: the hits from `start` to `start + bucket_ms`. */
export interface Bucket {
  start: number;
  count: number;
}

/** `GET /hits/histogram?from&to[&bucket][&page]`: every bucket, zeros included. */
export interface Histogram {
  /** `from` as asked, or aligned down to a multiple of `bucket_ms`. */
  from: number;
  to: number;
  bucket_ms: number;
  total: number;
  buckets: Bucket[];
}

/** A row of `GET /hits/pages`: most hits first. */
export interface PageHits {
  page: string;
  hits: number;
}

/** One hit of the pixel, as `GET /hits/live` gives it. */
export interface Hit {
  id: number;
  at: number;
  page: string;
  referrer: string | null;
  user_agent: string | null;
  /** The signed-in user the shell named (x-tessera-user), when there was one. */
  user: string | null;
}

/** `GET /hits/live`: the hits after `after` and the latest id (the next `after`). */
export interface LiveBatch {
  last: number;
  hits: Hit[];
}

/** A call that failed, worded for the widget's user. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status; 0 when nothing answered. */
    readonly status: number,
    /** The error envelope's `code` (`invalid_field`, `not_found`, …), when there was one. */
    readonly code?: string,
    /** The envelope's `field`: the request parameter that was wrong. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isAbort(e: unknown): boolean {
  return (e instanceof DOMException || e instanceof Error) && e.name === 'AbortError';
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Longer than the longest long poll (10 s) and the shell's own limit (15 s). */
const TIMEOUT_MS = 20_000;

interface Envelope {
  code?: unknown;
  message?: unknown;
  field?: unknown;
}

/**
 * What a failed answer says. The backend's errors are the server's one
 * envelope (server-common's `ErrorBody`): `{code, message, field?}`; the
 * server answers the same for its own (401, 404, 429, 502). An envelope
 * nested as `{error: {…}}` is read too. The sidecar and the desktop answer
 * plain text (`the widget's backend at … is not answering: …`).
 */
export function problemOf(status: number, text: string): ApiError {
  let message = text.trim().slice(0, 300);
  let code: string | undefined;
  let field: string | undefined;
  try {
    const body = JSON.parse(text) as Envelope & { error?: Envelope };
    const env: Envelope = body && typeof body.error === 'object' && body.error !== null ? body.error : body;
    if (typeof env.message === 'string' && env.message) message = env.message;
    if (typeof env.code === 'string') code = env.code;
    if (typeof env.field === 'string') field = env.field;
  } catch {
    // Plain text: the sidecar's or the desktop's own words.
  }
  if (!message) message = status >= 502 && status <= 504 ? `The tracker service is not answering (HTTP ${status}).` : `HTTP ${status}`;
  return new ApiError(message, status, code, field);
}

async function getJson(path: string, signal: AbortSignal): Promise<unknown> {
  // One controller for both the caller's abort and the timeout.
  const ctl = new AbortController();
  const abort = () => ctl.abort();
  if (signal.aborted) abort();
  signal.addEventListener('abort', abort);
  const timer = setTimeout(abort, TIMEOUT_MS);
  try {
    let res: Response;
    try {
      res = await fetch(path, { signal: ctl.signal, cache: 'no-store', headers: { accept: 'application/json' } });
    } catch (e) {
      if (signal.aborted) throw new DOMException('aborted', 'AbortError');
      throw new ApiError(`The tracker service is not answering (${errorText(e) || 'no answer'}).`, 0);
    }
    const text = await res.text();
    if (!res.ok) throw problemOf(res.status, text);
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(`${path}: the answer is not JSON.`, res.status);
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
  }
}

function unexpected(path: string, what: string): ApiError {
  return new ApiError(`${path}: unexpected answer (${what}).`, 200);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) q.set(k, String(v));
  return q.toString();
}

export interface HistogramQuery {
  from: number;
  to: number;
  /** Only this page's hits; all pages without it. */
  page?: string | null;
  /** The bucket size; the server picks a round one (at most ~120 buckets) without it. */
  bucket?: number;
}

export async function getHistogram(q: HistogramQuery, signal: AbortSignal): Promise<Histogram> {
  const path = `api/hits/histogram?${query({ from: Math.floor(q.from), to: Math.ceil(q.to), bucket: q.bucket, page: q.page })}`;
  const body = (await getJson(path, signal)) as Partial<Histogram> | null;
  if (!body || !isInt(body.bucket_ms) || body.bucket_ms <= 0 || !isInt(body.from) || !isInt(body.to)) {
    throw unexpected(path, 'no from, to or bucket_ms');
  }
  if (!Array.isArray(body.buckets) || !body.buckets.every((b) => isInt(b?.start) && isInt(b?.count))) {
    throw unexpected(path, 'buckets');
  }
  const buckets = [...body.buckets].sort((a, b) => a.start - b.start);
  const total = isInt(body.total) ? body.total : buckets.reduce((n, b) => n + b.count, 0);
  return { from: body.from, to: body.to, bucket_ms: body.bucket_ms, total, buckets };
}

export async function getPages(q: { from: number; to: number; limit?: number }, signal: AbortSignal): Promise<PageHits[]> {
  const path = `api/hits/pages?${query({ from: Math.floor(q.from), to: Math.ceil(q.to), limit: q.limit })}`;
  const body = (await getJson(path, signal)) as { pages?: unknown } | null;
  const pages = body?.pages;
  if (!Array.isArray(pages) || !pages.every((p) => typeof p?.page === 'string' && isInt(p?.hits))) {
    throw unexpected(path, 'pages');
  }
  return (pages as PageHits[]).slice().sort((a, b) => b.hits - a.hits);
}

/** Without `after`: the latest id at once, no hits. With it: the hits after it, waiting up to `wait` s for one. */
export async function getLive(after: number | undefined, wait: number, signal: AbortSignal): Promise<LiveBatch> {
  const path = after === undefined ? 'api/hits/live' : `api/hits/live?${query({ after, wait })}`;
  const body = (await getJson(path, signal)) as Partial<LiveBatch> | null;
  if (!body || !isInt(body.last) || !Array.isArray(body.hits)) throw unexpected(path, 'no last or hits');
  const hits = body.hits.filter((h): h is Hit => isInt(h?.id) && isInt(h?.at) && typeof h?.page === 'string');
  hits.sort((a, b) => a.id - b.id);
  return { last: body.last, hits };
}
