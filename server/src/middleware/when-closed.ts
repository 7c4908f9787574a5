import type { ServerResponse } from 'node:http';

const CLOSE_CALLBACKS = Symbol('closeCallbacks');

type WithCallbacks = ServerResponse & { [CLOSE_CALLBACKS]?: (() => void)[] };

/**
 * Runs `callback` once, when the response closes: after it was sent, or when the client left
 * before that (`res.writableFinished` tells which). Node emits 'close' in both cases, after
 * 'finish' when there is one. Every layer that waits for the end of a request (log, metrics,
 * timeout, cancellation, slots, row budget) shares one listener per response: a pair of `once`
 * listeners per layer was eight closures and listener-array growths on every request.
 */
export function whenClosed(res: ServerResponse, callback: () => void): void {
  const response = res as WithCallbacks;
  const pending = response[CLOSE_CALLBACKS];
  if (pending) {
    pending.push(callback);
    return;
  }
  const callbacks = [callback];
  response[CLOSE_CALLBACKS] = callbacks;
  res.once('close', () => {
    for (const run of callbacks) run();
  });
}
