import type { Response } from 'express';

/** Writes a response in pieces, waiting whenever the socket buffer is full. */
export interface ResponseWriter {
  /** Writes and, when the buffer is full, resolves once it has drained (or the client has left). */
  write(chunk: string): Promise<void>;
  /** True once the response has closed: the client left, or the response ended. */
  readonly closed: boolean;
}

/**
 * One `drain` and one `close` listener for the whole response, not one per wait: with compression
 * on, `res.on('drain')` lands on the zlib stream and `res.off` cannot take it back, so listeners
 * added per write piled up (MaxListenersExceededWarning) on every large page.
 */
export function responseWriter(res: Response): ResponseWriter {
  let closed = false;
  let waiting: (() => void) | undefined;
  const wake = () => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.();
  };
  res.on('drain', wake);
  res.once('close', () => {
    closed = true;
    wake();
  });
  return {
    get closed() {
      return closed;
    },
    write(chunk) {
      if (!chunk || closed || res.write(chunk)) return Promise.resolve();
      return new Promise((resolve) => (waiting = resolve));
    },
  };
}
