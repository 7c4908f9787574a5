import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpProblem } from '../problems.js';

/** Probes and scrapes must keep working for an overloaded client's neighbours and for the operator. */
const UNLIMITED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Per-client (IP) fixed-window limit. Responses carry the IETF draft-8 `RateLimit` and
 * `RateLimit-Policy` headers; a refused request gets 429 problem+json with `Retry-After`.
 */
export function rateLimitPerClient(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => UNLIMITED_PATHS.has(req.path),
    handler: (_req, _res, next) => {
      next(new HttpProblem(429, 'Too Many Requests', `More than ${perMinute} requests per minute from this client. Wait for Retry-After seconds.`));
    },
  });
}
