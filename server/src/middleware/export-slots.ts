import type { Request, RequestHandler } from 'express';
import { HttpProblem } from '../problems.js';
import { queryParamsOf } from '../query-params.js';
import { isHead } from './security.js';
import { whenClosed } from './when-closed.js';

/** Formats that stream a whole result set (see the list endpoints' `format` parameter). */
const STREAMED_FORMATS = new Set(['csv', 'ndjson']);
const STREAMED_MEDIA = /text\/csv|application\/(x-)?ndjson/i;

/** Whether a request asks for a streamed export, by `format=` or, without it, by `Accept`. */
export function isExportRequest(req: Request): boolean {
  if (!req.path.startsWith('/v1/')) return false;
  const format = queryParamsOf(req).get('format');
  if (format !== null) return STREAMED_FORMATS.has(format.toLowerCase());
  return STREAMED_MEDIA.test(req.headers.accept ?? '');
}

/**
 * A counting semaphore. `tryAcquire` never waits; `acquire` may wait a bounded time in a bounded
 * FIFO queue, and a slot that frees goes straight to the first waiter.
 */
export class Slots {
  private used = 0;
  private readonly queue: { grant: () => void }[] = [];
  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** A release function (idempotent), or undefined when every slot is taken. */
  tryAcquire(): (() => void) | undefined {
    if (this.used >= this.capacity) return undefined;
    this.used += 1;
    return this.releaser();
  }

  /**
   * A slot now, or the first to free within `waitMs` if fewer than `maxWaiting` already wait;
   * otherwise (or if `abandoned` fires first, e.g. the client left) undefined.
   */
  acquire(waitMs: number, maxWaiting: number, abandoned: (cancel: () => void) => void): Promise<(() => void) | undefined> {
    const now = this.tryAcquire();
    if (now || this.capacity === 0 || waitMs <= 0 || this.queue.length >= maxWaiting) return Promise.resolve(now);
    return new Promise((resolve) => {
      const leave = () => {
        const at = this.queue.indexOf(waiter);
        if (at === -1) return;
        this.queue.splice(at, 1);
        clearTimeout(timer);
        resolve(undefined);
      };
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(this.releaser());
        },
      };
      const timer = setTimeout(leave, waitMs);
      this.queue.push(waiter);
      abandoned(leave);
    });
  }

  /** Frees a slot: handed to the first waiter if any (the count stays), else returned. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next.grant();
      else this.used -= 1;
    };
  }
}

/**
 * Bounds concurrent CSV/NDJSON exports: each holds a slot until its response closes (finished or
 * aborted). Beyond the bound the export is refused with 503 + Retry-After rather than queued, so
 * a burst of exports cannot exhaust the pool or memory for everyone else.
 */
export function exportSlots(slots: Slots): RequestHandler {
  return (req, res, next) => {
    // A HEAD runs no export (the list handler answers it from headers alone): it needs no slot.
    if (!isExportRequest(req) || isHead(res)) {
      next();
      return;
    }
    const release = slots.tryAcquire();
    if (!release) {
      next(new HttpProblem(503, 'Service Unavailable', `${slots.capacity} exports are already running. Retry shortly.`));
      return;
    }
    whenClosed(res, release);
    next();
  };
}
