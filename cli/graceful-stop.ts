import type { Logger } from '../core/log.js';

export interface StopBetweenBatches {
  /**
   * Call where no batch is half-written: after a page commits with none in flight. If a
   * SIGTERM/SIGINT came in, the process stops right there.
   */
  readonly checkpoint: () => void;
  /** Whether a SIGTERM/SIGINT came in: the sync starts no new page write once it has. */
  readonly requested: () => boolean;
  /** Removes the signal handlers (the run ended by itself). */
  readonly dispose: () => void;
}

/**
 * SIGTERM or SIGINT during a sync: the page being written commits (with its watermark), then the
 * process exits 0, because being asked to stop is not a failure and the next run resumes from the
 * watermark. If no page commits within `graceMs` (a slow or throttling portal), or a second signal
 * comes, it stops at once: a batch still open is rolled back by the database, never half-applied.
 */
export function stopBetweenBatches(log: Logger, close: () => Promise<void>, graceMs = 30_000): StopBetweenBatches {
  let requested = false;
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.warn(reason);
    // Closing the pool ends the sessions (releasing the dataset lock); do not wait forever on it.
    await Promise.race([close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    process.exit(0);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) {
      void stop(`${signal} again: stopping now; an open batch rolls back`);
      return;
    }
    requested = true;
    log.warn({ signal }, `${signal}: stopping after the page being written commits`);
    setTimeout(() => void stop(`no page committed within ${graceMs / 1000} s: stopping now; an open batch rolls back`), graceMs).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    checkpoint: () => {
      if (requested) void stop('stopped between pages; the next sync resumes from the saved watermark');
    },
    requested: () => requested,
    dispose: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}
