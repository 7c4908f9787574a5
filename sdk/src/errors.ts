import type { Problem } from './generated/types.gen.js';
import { parseRetryAfter } from './retry-after.js';

/** One invalid parameter of a 400 response, e.g. `{ name: 'limit', in: 'query', message: 'must be >= 1' }`. */
export type ParameterProblem = NonNullable<Problem['errors']>[number];

type ErrorFields = { [Key in keyof Problem]?: Problem[Key] | undefined } & {
  response?: Response | undefined;
  retryAfterMs?: number | undefined;
  requestId?: string | undefined;
  cause?: unknown;
};

/**
 * Every failure of a Lakefront call. HTTP errors carry the RFC 9457 problem fields the server sent
 * and the request id it logged; `status` is 0 when no response arrived. A subclass says which
 * family the failure is in (as stripe-node and octokit do), so `instanceof` reads as the reason.
 */
export class LakefrontError extends Error {
  override name = 'LakefrontError';
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** The server's `X-Request-Id` for this request: quote it when you report a problem (the server logs it). */
  readonly requestId: string | undefined;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly instance: string | undefined;
  /** For a 400: one entry per invalid parameter, named as the API names it (`primary_type`). */
  readonly errors: ParameterProblem[];
  /** The HTTP response (its body already read), when there was one. */
  readonly response: Response | undefined;
  /** How long the server asked to wait (Retry-After), in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, fields: ErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.status = fields.status ?? fields.response?.status ?? 0;
    this.requestId = fields.requestId ?? fields.response?.headers.get('x-request-id') ?? undefined;
    this.type = fields.type ?? 'about:blank';
    this.title = fields.title ?? message;
    this.detail = fields.detail;
    this.instance = fields.instance;
    this.errors = fields.errors ?? [];
    this.response = fields.response;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** 400 and every other 4xx without a class of its own: the request is wrong, and asking again will not help. */
export class LakefrontInvalidRequestError extends LakefrontError {
  override name = 'LakefrontInvalidRequestError';
}

/** 404 (and 410): no such path, dataset or report. */
export class LakefrontNotFoundError extends LakefrontError {
  override name = 'LakefrontNotFoundError';
}

/** 429: too many requests. Retried while retries remain; `retryAfterMs` says how long the server asked to wait. */
export class LakefrontRateLimitError extends LakefrontError {
  override name = 'LakefrontRateLimitError';
}

/** 5xx: the server failed. 502, 503 and 504 are retried while retries remain. */
export class LakefrontServerError extends LakefrontError {
  override name = 'LakefrontServerError';
}

/** The request never got a response: DNS, refused or reset connection, a body cut off. Retried. */
export class LakefrontNetworkError extends LakefrontError {
  override name = 'LakefrontNetworkError';
}

/** An attempt waited longer than `timeout` for the server (for the response, or for the next chunk of its body). Retried. */
export class LakefrontTimeoutError extends LakefrontNetworkError {
  override name = 'TimeoutError';
}

/** The caller's AbortSignal fired. Never retried. `name` is 'AbortError', as for fetch itself. */
export class LakefrontAbortError extends LakefrontError {
  override name = 'AbortError';
}

/** The class for an HTTP status: one family per reason a caller would act on. */
function classFor(status: number): new (message: string, fields: ErrorFields) => LakefrontError {
  if (status === 404 || status === 410) return LakefrontNotFoundError;
  if (status === 429) return LakefrontRateLimitError;
  if (status >= 500) return LakefrontServerError;
  if (status >= 400) return LakefrontInvalidRequestError;
  return LakefrontError;
}

/** Builds the error for a response that is not a success from its body (problem+json, other JSON, or text). */
export function errorFromResponse(response: Response, body: unknown): LakefrontError {
  const problem = typeof body === 'object' && body !== null ? (body as Partial<Problem>) : {};
  const text = typeof body === 'string' && body ? body.slice(0, 200) : undefined;
  const title = typeof problem.title === 'string' ? problem.title : response.statusText || `HTTP ${response.status}`;
  const detail = typeof problem.detail === 'string' ? problem.detail : text;
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const message = `${response.status} ${title}${detail ? `: ${detail}` : ''}${requestId ? ` (request ${requestId})` : ''}`;
  const ErrorClass = classFor(response.status);
  return new ErrorClass(message, {
    type: typeof problem.type === 'string' ? problem.type : undefined,
    title,
    detail,
    instance: typeof problem.instance === 'string' ? problem.instance : undefined,
    errors: Array.isArray(problem.errors) ? problem.errors : undefined,
    status: response.status,
    response,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  });
}

/** Turns whatever a failed call threw into a LakefrontError, telling a caller's abort from a network fault. */
export function errorFromFailure(error: unknown, signal: AbortSignal | null | undefined): LakefrontError {
  if (error instanceof LakefrontError) return error;
  if (signal?.aborted) return new LakefrontAbortError('The request was aborted', { cause: signal.reason });
  const reason = error instanceof Error ? error.message : String(error);
  return new LakefrontNetworkError(`Network error: ${reason}`, { cause: error });
}

/** Throws a LakefrontAbortError if the signal has fired (between pages and rows of an iterator). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw errorFromFailure(signal.reason, signal);
}
