import { errorFromFailure } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number | undefined;
  /** The first backoff delay's lower bound, and the floor of every later one (default 500). */
  minDelayMs?: number | undefined;
  /** No backoff delay exceeds this; a Retry-After longer than this is not waited for (default 10000). */
  maxDelayMs?: number | undefined;
}

export type RetryPolicy = Required<{ [Key in keyof RetryOptions]: number }>;

const DEFAULTS: RetryPolicy = { retries: 3, minDelayMs: 500, maxDelayMs: 10_000 };

/** "Try again later": 429 Too Many Requests, and the gateway and availability 5xx. Every other status is final. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export function checkedRetries(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`${name} must be an integer >= 0, got ${value}`);
  return value;
}

/** The client's policy from `retry` (options or false) and the `retries` shorthand, checked. */
export function resolveRetry(retry: RetryOptions | false | undefined, retries?: number): RetryPolicy {
  const given = Object.fromEntries(Object.entries(retry || {}).filter(([, value]) => value !== undefined));
  const policy: RetryPolicy = { ...DEFAULTS, ...given };
  if (retry === false) policy.retries = 0;
  if (retries !== undefined) policy.retries = retries;
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) throw new TypeError(`retry.${name} must be a number >= 0, got ${value}`);
  }
  checkedRetries(policy.retries, 'retries');
  if (policy.minDelayMs > policy.maxDelayMs) throw new TypeError('retry.minDelayMs must not exceed retry.maxDelayMs');
  return policy;
}

/** Full jitter with a floor: a random delay in [min, min(max, min * 2^(attempt+1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt + 1));
  return policy.minDelayMs + random() * (cap - policy.minDelayMs);
}

/** Waits, unless the signal fires first (then rejects with LakefrontAbortError at once). */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(errorFromFailure(signal!.reason, signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
