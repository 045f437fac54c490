// Live prices by long polling `api/ticks` (the shell's `widget://` scheme
// cannot stream, so no SSE): each answer's `seq` is the next call's `after`.
import { getTicks, type Tick } from './api';

/** How long the backend may hold a call open (its maximum). */
const WAIT_S = 10;
/** Pause after a failed call before the next. */
export const RETRY_MS = 2_000;

export interface TickHandlers {
  /** Every answer's ticks, oldest first (possibly none). */
  onTicks(ticks: Tick[]): void;
  /** A call failed (the loop tries again in 2 s): the error; answered again: null. */
  onStatus(error: unknown): void;
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
 * Follows the ticks until `signal` aborts. The first call has no `after` and
 * answers at once with the latest tick of every symbol; after that each call
 * asks for the ticks after the last answer's `seq`. A failed call is retried
 * every 2 s with the same `after`, so the ticks missed meanwhile (the last
 * 1000) still arrive; a `seq` lower than `after` means the backend started
 * afresh, and the loop starts again from its snapshot.
 */
export async function followTicks(signal: AbortSignal, handlers: TickHandlers): Promise<void> {
  let after: number | undefined;
  let failing = false;
  while (!signal.aborted) {
    const started = Date.now();
    // Right after a failure, ask without waiting: a backend that is back
    // answers at once (a restarted one with a lower seq, see above).
    const wait = failing ? 0 : WAIT_S;
    try {
      const batch = await getTicks(after, wait, signal);
      if (signal.aborted) return;
      if (failing) {
        failing = false;
        handlers.onStatus(null);
      }
      if (after !== undefined && batch.seq < after) {
        after = undefined;
        continue;
      }
      handlers.onTicks(batch.ticks);
      after = batch.seq;
      // A backend that answers an empty list at once must not make this spin.
      if (wait > 0 && batch.ticks.length === 0 && Date.now() - started < 250) await sleep(1_000, signal);
    } catch (e) {
      if (signal.aborted) return;
      failing = true;
      handlers.onStatus(e);
      await sleep(RETRY_MS, signal);
    }
  }
}
