import { availableParallelism } from 'node:os';

/**
 * Operational limits of the HTTP server. `createApp` takes them in its deps (tests pass none:
 * no rate limit); `lakefront serve` reads them from the environment with `limitsFromEnv`.
 */
export interface ServerLimits {
  /** Requests per client IP per minute; 0 turns rate limiting off. */
  readonly rateLimitPerMinute: number;
  /** A request that has not started its response after this many ms gets a 503 problem. */
  readonly requestTimeoutMs: number;
  /** Postgres cancels a statement of the API after this many ms (answered as 503). */
  readonly statementTimeoutMs: number;
  /** CSV/NDJSON exports streaming at the same time; more are answered 503 with Retry-After. */
  readonly maxConcurrentExports: number;
  /** Heavy requests (pages over 1,000 rows, GeoJSON) served at the same time; more get 503 with Retry-After. */
  readonly maxConcurrentHeavy: number;
  /** Rows each client (IP) may be served per minute (admitted by the rows asked, charged the rows served); 0 turns the budget off. */
  readonly rowsPerMinute: number;
  /** Origins allowed by CORS: `*` (public data, the default) or a list of exact origins. */
  readonly corsOrigins: '*' | readonly string[];
  /** Serve Prometheus metrics at `GET /metrics`. */
  readonly metrics: boolean;
  /** On SIGTERM, requests in flight get this long to finish before their sockets are cut. */
  readonly shutdownGraceMs: number;
  /**
   * Proxies in front of the server whose `X-Forwarded-For` is believed (0: none). Behind one
   * load balancer it is 1, so the rate limit counts clients, not the balancer.
   */
  readonly trustProxyHops: number;
}

/**
 * The most rows one page (or one `limit`ed CSV/NDJSON answer) holds: the spec's `limit` maximum.
 * The handlers clamp to it as well, so no number form the validator might let through (such as
 * `Infinity`) can ever run a query without a LIMIT.
 */
export const MAX_PAGE_ROWS = 10_000;

/** A requested page size as a safe row count: at least 1, at most MAX_PAGE_ROWS. */
export function pageRows(limit: unknown, fallback = 100): number {
  const value = typeof limit === 'number' && Number.isFinite(limit) ? Math.trunc(limit) : fallback;
  return Math.min(MAX_PAGE_ROWS, Math.max(1, value));
}

export const DEFAULT_LIMITS: ServerLimits = {
  rateLimitPerMinute: 0,
  requestTimeoutMs: 20_000,
  statementTimeoutMs: 15_000,
  maxConcurrentExports: 4,
  maxConcurrentHeavy: 2,
  rowsPerMinute: 0,
  corsOrigins: '*',
  metrics: true,
  shutdownGraceMs: 10_000,
  trustProxyHops: 0,
};

/** The production limits: `LAKEFRONT_RATE_LIMIT` (per minute, default 600, 0 = off), and friends. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerLimits {
  const origins = (env.LAKEFRONT_CORS_ORIGINS ?? '*').trim();
  return {
    rateLimitPerMinute: count(env, 'LAKEFRONT_RATE_LIMIT', 600),
    requestTimeoutMs: count(env, 'LAKEFRONT_REQUEST_TIMEOUT_MS', DEFAULT_LIMITS.requestTimeoutMs),
    statementTimeoutMs: count(env, 'LAKEFRONT_STATEMENT_TIMEOUT_MS', DEFAULT_LIMITS.statementTimeoutMs),
    maxConcurrentExports: count(env, 'LAKEFRONT_MAX_EXPORTS', DEFAULT_LIMITS.maxConcurrentExports),
    maxConcurrentHeavy: count(env, 'LAKEFRONT_MAX_HEAVY', heavySlotsForCores(availableParallelism())),
    rowsPerMinute: count(env, 'LAKEFRONT_ROWS_PER_MINUTE', 300_000),
    corsOrigins: origins === '*' ? '*' : origins.split(',').map((origin) => origin.trim()).filter(Boolean),
    metrics: env.LAKEFRONT_METRICS !== 'off',
    shutdownGraceMs: count(env, 'LAKEFRONT_SHUTDOWN_GRACE_MS', DEFAULT_LIMITS.shutdownGraceMs),
    trustProxyHops: count(env, 'LAKEFRONT_TRUST_PROXY', DEFAULT_LIMITS.trustProxyHops),
  };
}

/**
 * The default bound on heavy pages: half the cores, at least one. A heavy page keeps a core busy
 * (its PostgreSQL backend, then Node writing it out); with half the cores left over, cheap requests
 * are never queued behind them. On two cores, two heavy slots let 20 GeoJSON loops push a cheap
 * request's p99 to 10.6x its idle p99; one slot kept it at 3.3x (README, "Load").
 */
export function heavySlotsForCores(cores: number): number {
  return Math.max(1, Math.floor(cores / 2));
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`invalid ${name} "${text}": expected a whole number >= 0`);
  return value;
}
