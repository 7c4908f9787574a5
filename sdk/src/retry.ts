import { errorFromFailure, LakefrontAbortError } from './errors.js';
import { parseRetryAfter } from './retry-after.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** The first backoff delay's lower bound, and the floor of every later one (default 500). */
  minDelayMs?: number;
  /** No backoff delay exceeds this; a Retry-After longer than this is not waited for (default 10000). */
  maxDelayMs?: number;
}

const DEFAULTS: Required<RetryOptions> = { retries: 3, minDelayMs: 500, maxDelayMs: 10_000 };

/** 429 Too Many Requests and 503 Service Unavailable say "try again later"; every other status is final. */
const RETRY_STATUSES = new Set([429, 503]);

export function resolveRetry(retry: RetryOptions | false | undefined): Required<RetryOptions> {
  const policy = retry === false ? { ...DEFAULTS, retries: 0 } : { ...DEFAULTS, ...retry };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) throw new TypeError(`retry.${name} must be a number >= 0, got ${value}`);
  }
  if (policy.minDelayMs > policy.maxDelayMs) throw new TypeError('retry.minDelayMs must not exceed retry.maxDelayMs');
  return policy;
}

/** Full jitter with a floor: a random delay in [min, min(max, min * 2^(attempt+1))]. */
export function backoffDelay(attempt: number, policy: Required<RetryOptions>, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt + 1));
  return policy.minDelayMs + random() * (cap - policy.minDelayMs);
}

/**
 * Wraps fetch so that idempotent requests (GET, HEAD) are retried on network errors, 429 and 503,
 * waiting as Retry-After says or with exponential backoff. The last response is returned as is
 * (the caller turns it into an error); the caller's abort ends any wait at once and is never retried.
 */
export function retryingFetch(baseFetch: typeof fetch, policy: Required<RetryOptions>): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const idempotent = request.method === 'GET' || request.method === 'HEAD';
    for (let attempt = 0; ; attempt += 1) {
      const canRetry = idempotent && attempt < policy.retries;
      let response: Response;
      try {
        response = await baseFetch(request.clone());
      } catch (error) {
        const failure = errorFromFailure(error, request.signal);
        if (!canRetry || failure instanceof LakefrontAbortError) throw failure;
        await sleep(backoffDelay(attempt, policy), request.signal);
        continue;
      }
      if (!canRetry || !RETRY_STATUSES.has(response.status)) return response;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      if (retryAfter !== undefined && retryAfter > policy.maxDelayMs) return response;
      await response.body?.cancel();
      await sleep(retryAfter ?? backoffDelay(attempt, policy), request.signal);
    }
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(errorFromFailure(signal.reason, signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
