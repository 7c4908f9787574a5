import cors from 'cors';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { HttpProblem } from '../problems.js';

export const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

/**
 * helmet's defaults, adjusted for a public read-only data API whose Swagger UI at /docs loads
 * its scripts (including the init script) as same-origin files: no inline script is needed.
 * `upgrade-insecure-requests` is dropped so the UI still works when served over plain http, and
 * the resource policy is cross-origin because the data is meant to be used from other sites.
 */
export function securityHeaders(): RequestHandler {
  const headers = helmetHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'upgrade-insecure-requests': null, 'img-src': ["'self'", 'data:'] },
      },
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/**
 * The headers helmet sets, computed once: with no per-request directives (no CSP nonces) they
 * are the same for every response, and running helmet's dozen middlewares per request was a
 * measurable share of the API's CPU at load.
 */
function helmetHeaders(middleware: ReturnType<typeof helmet>): [string, string][] {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let finished = false;
  middleware({} as never, response as never, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  return [...headers];
}

/** CORS for reads only; `origins` is `*` or the exact origins allowed. */
export function corsForReads(origins: '*' | readonly string[]): RequestHandler {
  return cors({
    origin: origins === '*' ? '*' : [...origins],
    methods: [...READ_METHODS],
    exposedHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After', 'ETag', 'Last-Modified', 'Content-Disposition'],
    maxAge: 600,
  });
}

/** Whether the request was a HEAD (routed as GET, see readOnlyMethods): no body will be sent. */
export function isHead(res: Response): boolean {
  return res.locals.head === true;
}

/** The API is read-only: anything but GET, HEAD and OPTIONS is a 405 problem, on every path. */
export const readOnlyMethods: RequestHandler = (req, res, next) => {
  if ((READ_METHODS as readonly string[]).includes(req.method)) {
    // The spec documents GETs only, and the validator would refuse HEAD. Node decided when the
    // request arrived that a HEAD response has no body, so routing it as GET sends the headers only.
    if (req.method === 'HEAD') {
      req.method = 'GET';
      // Handlers that can answer from headers alone (exports, pages) read this and skip the work.
      res.locals.head = true;
    }
    next();
    return;
  }
  res.setHeader('Allow', READ_METHODS.join(', '));
  next(new HttpProblem(405, 'Method Not Allowed', `${req.method} is not allowed: this API is read-only (GET, HEAD, OPTIONS).`));
};
