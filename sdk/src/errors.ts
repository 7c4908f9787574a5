import type { Problem } from './generated/types.gen.js';
import { parseRetryAfter } from './retry-after.js';

/** One invalid parameter of a 400 response, e.g. `{ name: 'limit', in: 'query', message: 'must be >= 1' }`. */
export type ParameterProblem = NonNullable<Problem['errors']>[number];

/**
 * Every failure of a Lakefront call. HTTP errors carry the RFC 9457 problem fields the server sent;
 * `status` is 0 when no response arrived (see the subclasses).
 */
export class LakefrontError extends Error {
  override name = 'LakefrontError';
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
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

  constructor(
    message: string,
    fields: Partial<Problem> & { response?: Response; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.status = fields.status ?? fields.response?.status ?? 0;
    this.type = fields.type ?? 'about:blank';
    this.title = fields.title ?? message;
    this.detail = fields.detail;
    this.instance = fields.instance;
    this.errors = fields.errors ?? [];
    this.response = fields.response;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** The request never got a response: DNS, refused or reset connection, a body cut off. Retried by default. */
export class LakefrontNetworkError extends LakefrontError {
  override name = 'LakefrontNetworkError';
}

/** The caller's AbortSignal fired. Never retried. `name` is 'AbortError', as for fetch itself. */
export class LakefrontAbortError extends LakefrontError {
  override name = 'AbortError';
}

/** Builds the error for a non-2xx response from its body (problem+json, other JSON, or text). */
export function errorFromResponse(response: Response, body: unknown): LakefrontError {
  const problem = typeof body === 'object' && body !== null ? (body as Partial<Problem>) : {};
  const text = typeof body === 'string' && body ? body.slice(0, 200) : undefined;
  const title = typeof problem.title === 'string' ? problem.title : response.statusText || `HTTP ${response.status}`;
  const detail = typeof problem.detail === 'string' ? problem.detail : text;
  return new LakefrontError(`${response.status} ${title}${detail ? `: ${detail}` : ''}`, {
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
