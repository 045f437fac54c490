// New hits by long polling `api/hits/live` (the shell's `widget://` scheme
// cannot stream, so no SSE): each answer's `last` is the next call's `after`.
import { errorText, getLive, type Hit } from './api';

/** How long the backend may hold a call open (its maximum). */
export const WAIT_S = 10;
/** The pauses after failed calls: 2 s, then 4 s, then 8 s, then 10 s each. */
export const BACKOFF_MS = [2_000, 4_000, 8_000, 10_000];

/** Hits stored before the widget started that it shows as the latest. */
export const RECENT = 5;

export interface LiveHandlers {
  /** Each answer's hits, oldest first (never empty). */
  onHits(hits: Hit[]): void;
  /** Once, at the start: the hits stored just before (at most RECENT, oldest first), already counted in any histogram fetched since. */
  onRecent?(hits: Hit[]): void;
  /** A call failed (the loop tries again soon): what went wrong; the first answer, and the first after failures: null. */
  onStatus(problem: string | null): void;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
 * Follows the hits until `signal` aborts. The first call has no `after` and
 * answers at once with the latest id; after that each call asks for the hits
 * after the last answer's `last`, waiting up to 10 s for one. After a failed
 * call (and a pause of 2, 4, 8, then 10 s) the loop first asks where the hits
 * are now, at once: a backend that is back says so without a long wait, and
 * one whose latest id is below `after` started afresh (a new database), so
 * the loop follows from its latest id. Otherwise it asks after the same
 * `after` as before, and the hits of the outage still arrive.
 */
export async function followHits(signal: AbortSignal, handlers: LiveHandlers): Promise<void> {
  let after: number | undefined;
  let failures = 0;
  let connected = false;
  let probe = false;
  while (!signal.aborted) {
    const started = Date.now();
    try {
      if (probe || after === undefined) {
        const now = await getLive(undefined, 0, signal);
        if (signal.aborted) return;
        if (after === undefined && now.last > 0 && handlers.onRecent) {
          // The latest few, so "Latest" is not empty until the next hit.
          const recent = await getLive(Math.max(0, now.last - RECENT), 0, signal);
          if (signal.aborted) return;
          const upTo = now.last;
          const before = recent.hits.filter((h) => h.id <= upTo);
          if (before.length) handlers.onRecent(before);
        }
        if (after === undefined || now.last < after) after = now.last;
        probe = false;
      } else {
        const asked = after;
        const batch = await getLive(asked, WAIT_S, signal);
        if (signal.aborted) return;
        const fresh = batch.hits.filter((h) => h.id > asked);
        after = Math.max(asked, batch.last, ...fresh.map((h) => h.id));
        if (fresh.length) handlers.onHits(fresh);
        // A backend that answers a long poll at once with nothing must not make this spin.
        else if (Date.now() - started < 250) await sleep(1_000, signal);
      }
      failures = 0;
      if (!connected) {
        connected = true;
        handlers.onStatus(null);
      }
    } catch (e) {
      if (signal.aborted) return;
      connected = false;
      probe = true;
      handlers.onStatus(errorText(e));
      await sleep(BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)], signal);
      failures += 1;
    }
  }
}
