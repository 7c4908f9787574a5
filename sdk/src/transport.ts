import { Attempt, guardedStream, readText } from './attempt.js';
import type { EtagCache } from './etag-cache.js';
import { errorFromResponse, LakefrontAbortError, LakefrontError, throwIfAborted } from './errors.js';
import { conditionalEtag, rememberEtag, type NotModified } from './not-modified.js';
import { buildUrl } from './generated/client/utils.gen.js';
import { backoffDelay, checkedRetries, RETRY_STATUSES, sleep, type RetryPolicy } from './retry.js';
import { parseRetryAfter } from './retry-after.js';

/** One attempt as the hooks see it. */
export interface RequestContext {
  /** The full URL of this attempt. */
  readonly url: string;
  /** What fetch is called with: `method`, `headers` (change them in `onRequest`), `signal`. */
  readonly init: RequestInit & { method: string; headers: Headers; signal: AbortSignal };
  /** 0 for the first attempt, 1 for the first retry, and so on. */
  readonly attempt: number;
}

/** One attempt's response (any status, before it becomes a result or an error). */
export interface ResponseContext extends RequestContext {
  readonly response: Response;
  /** Milliseconds from this attempt's start to its response headers. */
  readonly elapsedMs: number;
}

/** Per-call options that are about the transport, not the query. */
export interface CallOptions {
  /** Cancels the call (and any retry wait); the call then rejects with LakefrontAbortError. */
  signal?: AbortSignal | undefined;
  /** Milliseconds this call waits for the server at any one point; `0` waits forever. Default: the client's. */
  timeout?: number | undefined;
  /** Retries of this call after its first attempt. Default: the client's. */
  retries?: number | undefined;
  /** Extra request headers for this call. */
  headers?: Record<string, string> | undefined;
}

export interface TransportConfig {
  baseUrl: string;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  timeoutMs: number;
  retry: RetryPolicy;
  headers: Record<string, string>;
  onRequest: ((context: RequestContext) => void | Promise<void>) | undefined;
  onResponse: ((context: ResponseContext) => void | Promise<void>) | undefined;
  cache: EtagCache | undefined;
}

/** What a generated operation describes: its path, its query and how to serialize it. */
export interface WireRequest {
  url: string;
  query?: Record<string, unknown> | undefined;
  querySerializer?: unknown;
}

export type BodyAs = 'json' | 'text' | 'stream';

/** Per-call options as the transport reads them: a conditional call's `ifNoneMatch` too. */
export type TransportCallOptions = CallOptions & { ifNoneMatch?: string | undefined };

export type Transport = (request: WireRequest, options: TransportCallOptions | undefined, as: BodyAs) => Promise<unknown>;

/**
 * Sends GET requests: each attempt builds its own init and signal, runs the hooks, waits under the
 * timeout, and is retried on network errors, timeouts, 429, 502, 503 and 504 (waiting as
 * Retry-After says, or with backoff). Answers the body (JSON, text or a stream) or throws a LakefrontError.
 * A 304 is never an error: a call that sent its own If-None-Match answers NotModified, and one
 * the cache revalidated answers the cache's copy.
 */
export function createTransport(config: TransportConfig): Transport {
  return async (request, options = {}, as) => {
    const url = buildUrl({ baseUrl: config.baseUrl, url: request.url, query: request.query ?? {}, querySerializer: request.querySerializer as never });
    const retries = options.retries === undefined ? config.retry.retries : checkedRetries(options.retries, 'retries');
    const timeoutMs = options.timeout === undefined ? config.timeoutMs : checkedTimeout(options.timeout);
    const signal = options.signal;
    // The caller's own conditional request (JSON only: a stream or text has no NotModified to answer).
    const ownEtag = as === 'json' ? conditionalEtag(options) : undefined;
    const cached = as === 'json' && ownEtag === undefined ? config.cache?.get(url) : undefined;

    for (let attempt = 0; ; attempt += 1) {
      throwIfAborted(signal);
      const canRetry = attempt < retries;
      const headers = new Headers(config.headers);
      for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
      if (ownEtag !== undefined) headers.set('if-none-match', ownEtag);
      else if (cached && !headers.has('if-none-match')) headers.set('if-none-match', cached.etag);
      const current = new Attempt(signal, timeoutMs);
      const context: RequestContext = { url, init: { method: 'GET', headers, signal: current.signal, redirect: 'follow' }, attempt };
      let response: Response;
      try {
        await config.onRequest?.(context);
        const started = Date.now();
        try {
          response = await current.wait(config.fetch(url, context.init));
        } catch (error) {
          const failure = error instanceof LakefrontError ? error : current.failure(error);
          if (!canRetry || failure instanceof LakefrontAbortError) throw failure;
          current.dispose();
          await sleep(backoffDelay(attempt, config.retry), signal);
          continue;
        }
        await config.onResponse?.({ ...context, response, elapsedMs: Date.now() - started });
      } catch (error) {
        current.dispose();
        throw error;
      }

      if (response.status === 304 && (ownEtag !== undefined || (cached && context.init.headers.get('if-none-match') === cached.etag))) {
        await response.body?.cancel();
        current.dispose();
        // Still current: the caller holds the copy, or the SDK kept it.
        if (ownEtag !== undefined) return notModified(response, ownEtag);
        const copy: unknown = JSON.parse(cached!.text);
        rememberEtag(copy, cached!.etag);
        return copy;
      }
      if (response.ok) return readBody(response, current, as, url, config.cache);

      const text = await readText(response.body, current).finally(() => current.dispose());
      const failure = errorFromResponse(response, parseJson(text) ?? text);
      if (response.status === 304) {
        // An If-None-Match the call's options did not send (a client header, a hook, a stream): its result type has no NotModified.
        throw new LakefrontError(`304 Not Modified for ${url}, to an If-None-Match this call did not ask for: pass it as the call's { ifNoneMatch } (the call then answers NotModified), or use createLakefront({ cache: true })`, { response });
      }
      if (!canRetry || !RETRY_STATUSES.has(response.status)) throw failure;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      if (retryAfter !== undefined && retryAfter > config.retry.maxDelayMs) throw failure;
      await sleep(retryAfter ?? backoffDelay(attempt, config.retry), signal);
    }
  };
}

async function readBody(response: Response, attempt: Attempt, as: BodyAs, url: string, cache: EtagCache | undefined): Promise<unknown> {
  if (as === 'stream') return guardedStream(response.body, attempt);
  let text: string;
  try {
    text = await readText(response.body, attempt);
  } finally {
    attempt.dispose();
  }
  if (as === 'text') return text;
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : {};
  } catch (error) {
    throw new LakefrontError(`The response is not valid JSON: ${(error as Error).message}`, { cause: error, response });
  }
  const etag = response.headers.get('etag');
  if (cache && etag) cache.set(url, { etag, text });
  rememberEtag(data, etag);
  return data;
}

function notModified(response: Response, sent: string): NotModified {
  return { notModified: true, status: 304, etag: response.headers.get('etag') ?? sent, requestId: response.headers.get('x-request-id') ?? undefined };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function checkedTimeout(value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`timeout must be a number of milliseconds >= 0, got ${value}`);
  return value;
}
