import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpProblem } from '../problems.js';
import { whenClosed } from './when-closed.js';

/**
 * A request that has not begun its response after `ms` gets a 503 problem instead of a hung
 * socket. A response already streaming (a CSV export) is left alone: it is making progress.
 * The work behind a timed-out request is bounded by the database's `statement_timeout`.
 */
export function requestTimeout(ms: number, renderProblem: ErrorRequestHandler): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      const problem = new HttpProblem(503, 'Service Unavailable', 'The request took too long and was abandoned. Try again, or narrow the filters.');
      renderProblem(problem, req, res, () => undefined);
    }, ms);
    timer.unref();
    whenClosed(res, () => clearTimeout(timer));
    next();
  };
}
