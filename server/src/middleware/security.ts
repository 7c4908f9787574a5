import cors from 'cors';
import type { RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { HttpProblem } from '../problems.js';

export const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;

/**
 * Two sets of security headers, each computed once.
 *
 * Pages (the explorer, Swagger UI at /docs, and `/`, which redirects to the explorer) get helmet's
 * defaults, adjusted for pages whose scripts (including Swagger UI's init script) are same-origin
 * files: no inline script is needed. `upgrade-insecure-requests` is dropped so the pages still
 * work when served over plain http.
 *
 * Everything else is data (JSON, CSV, NDJSON, GeoJSON, problems), which no browser renders as a
 * document. It gets what OWASP's REST Security Cheat Sheet asks of an API: no content may load
 * and no page may frame it (`default-src 'none'; frame-ancestors 'none'`, `X-Frame-Options:
 * DENY`), no sniffing, HSTS, no referrer. helmet's headers that only mean something to an HTML
 * document (DNS prefetch, download options, Flash policies, the XSS auditor, origin clusters,
 * opener policy) are left off: they were a third of each answer's headers, and the API's
 * headers are a measurable share of its CPU per request (README, "Read API").
 *
 * Both allow cross-origin reads of the resources (`Cross-Origin-Resource-Policy: cross-origin`):
 * the data is meant to be used from other sites.
 */
export function securityHeaders(): RequestHandler {
  const pages = headersSetBy(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'upgrade-insecure-requests': null, 'img-src': ["'self'", 'data:'] },
      },
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  const data: [string, string][] = [
    ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
    ['Cross-Origin-Resource-Policy', 'cross-origin'],
    ['Referrer-Policy', 'no-referrer'],
    ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
  ];
  return (req, res, next) => {
    for (const [name, value] of isPage(req.path) ? pages : data) res.setHeader(name, value);
    next();
  };
}

/** The paths a browser shows as a document (see securityHeaders). */
function isPage(path: string): boolean {
  return path === '/' || path.startsWith('/docs') || path.startsWith('/explore');
}

/**
 * The headers a middleware sets on a response that does not depend on the request, computed once
 * by running it against a recording response: helmet's with no per-request directives (no CSP
 * nonces), and cors's on a read when every origin is allowed. Running them per request (helmet's
 * dozen middlewares, cors's options and header lists) was a measurable share of the API's CPU.
 */
function headersSetBy(middleware: RequestHandler, request: object = {}): [string, string][] {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let finished = false;
  middleware(request as never, response as never, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('the middleware did not set its headers synchronously');
  return [...headers];
}

/**
 * CORS for reads only; `origins` is `*` or the exact origins allowed. With every origin allowed, a
 * read's headers are the same on every response: the package's, recorded once (headersSetBy).
 * Preflights, and a list of origins, go through the package.
 */
export function corsForReads(origins: '*' | readonly string[]): RequestHandler {
  const middleware = cors({
    origin: origins === '*' ? '*' : [...origins],
    methods: [...READ_METHODS],
    exposedHeaders: ['X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After', 'ETag', 'Last-Modified', 'Content-Disposition'],
    maxAge: 600,
  });
  if (origins !== '*') return middleware;
  const readHeaders = headersSetBy(middleware, { method: 'GET', headers: {} });
  return (req, res, next) => {
    if (req.method === 'OPTIONS') {
      middleware(req, res, next);
      return;
    }
    for (const [name, value] of readHeaders) res.setHeader(name, value);
    next();
  };
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
