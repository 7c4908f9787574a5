import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../../../core/log.js';
import { whenClosed } from './when-closed.js';

/** An incoming id is echoed only when it is short and plain; anything else gets a fresh UUID. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * One structured log line per request (method, path, status, time, request id) and the id
 * echoed as `X-Request-Id`. Headers are not logged: they may carry credentials of a proxy.
 * Written out rather than pino-http: this runs on every request, and a child logger plus
 * serializers per request was a measurable share of the API's CPU at load.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const id = requestIdOf(req);
    res.setHeader('X-Request-Id', id);
    // Read now: the router rewrites req.url while it dispatches.
    const { method, originalUrl: url } = req;
    whenClosed(res, () => {
      const status = res.statusCode;
      const complete = res.writableFinished;
      const level = status >= 500 || !complete ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!log.isLevelEnabled(level)) return;
      log[level](
        { req: { id, method, url, remoteAddress: req.socket.remoteAddress }, res: { statusCode: status }, responseTime: Math.round(performance.now() - started) },
        complete ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}
