// The market-data backend, reached as `api/*` relative to the frame's
// document (`widget://tessera.watchlist/`): the shell forwards it through the
// server and the widget's sidecar to `tessera-market-data`.

/** A request that failed: the HTTP status (0 when nothing answered) and the backend's error code, if any. */
export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** Longer than the longest long poll (10 s) and the shell's own limit (15 s). */
const TIMEOUT_MS = 20_000;
/** How long the backend may hold a tick call open (its maximum). */
const WAIT_S = 10;
/** Pause after a failed call before the next. */
export const RETRY_MS = 2_000;

async function getJson(path, signal) {
  const ctl = new AbortController();
  const abort = () => ctl.abort();
  signal.addEventListener('abort', abort);
  const timer = setTimeout(abort, TIMEOUT_MS);
  try {
    let res;
    try {
      res = await fetch(path, { signal: ctl.signal, cache: 'no-store' });
    } catch (e) {
      if (signal.aborted) throw e;
      throw new ApiError(`${path}: no answer (${e?.message || e})`, 0);
    }
    const text = await res.text();
    if (!res.ok) {
      let code;
      let message = text.slice(0, 200);
      try {
        const body = JSON.parse(text);
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

/** `GET /instruments`: a quote per instrument. */
export async function getInstruments(signal) {
  const body = await getJson('api/instruments', signal);
  if (!Array.isArray(body?.instruments)) throw new ApiError('api/instruments: unexpected answer', 200);
  return body.instruments;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * Follows `api/ticks` by long polling until `signal` aborts (the shell's
 * `widget://` scheme cannot stream, so no SSE). The first call has no
 * `after` and answers at once with the latest tick of every symbol; then each
 * call asks for the ticks after the last answer's `seq`, which the backend
 * holds open up to 10 s. A failed call is retried every 2 s with the same
 * `after`, so the ticks missed meanwhile (the last 1000) still arrive; a
 * `seq` lower than `after` means the backend started afresh, and the loop
 * starts again from its snapshot.
 *
 * `onTicks(ticks)` gets every answer's ticks, oldest first; `onStatus(error)`
 * the error of a failed call, then `onStatus(null)` once calls answer again.
 */
export async function followTicks(signal, { onTicks, onStatus }) {
  let after;
  let failing = false;
  while (!signal.aborted) {
    const started = Date.now();
    // Right after a failure, ask without waiting: a backend that is back
    // answers at once (a restarted one with a lower seq, see above).
    const wait = failing ? 0 : WAIT_S;
    try {
      const path = after === undefined ? 'api/ticks' : `api/ticks?after=${after}&wait=${wait}`;
      const batch = await getJson(path, signal);
      if (typeof batch?.seq !== 'number' || !Array.isArray(batch.ticks)) throw new ApiError(`${path}: unexpected answer`, 200);
      if (signal.aborted) return;
      if (failing) {
        failing = false;
        onStatus(null);
      }
      if (after !== undefined && batch.seq < after) {
        after = undefined;
        continue;
      }
      onTicks(batch.ticks);
      after = batch.seq;
      // A backend that answers an empty list at once must not make this spin.
      if (wait > 0 && batch.ticks.length === 0 && Date.now() - started < 250) await sleep(1_000, signal);
    } catch (e) {
      if (signal.aborted) return;
      failing = true;
      onStatus(e);
      await sleep(RETRY_MS, signal);
    }
  }
}
