import { datasetApi, type DatasetApiOf } from './dataset.js';
import { EtagCache } from './etag-cache.js';
import { callRoute, routeOf, type Operation, type ParamsOf, type ResultOf, type Route } from './operation.js';
import type { ConditionalCallOptions, NotModified } from './not-modified.js';
import { queryKeyOf, type QueryOptions } from './query.js';
import { resolveRetry, type RetryOptions } from './retry.js';
import { checkedTimeout, createTransport, type CallOptions, type RequestContext, type ResponseContext, type Transport } from './transport.js';

/** Thirty seconds: how long a call waits, by default, for the server at any one point (the response, then each chunk of its body). */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface LakefrontOptions {
  /** Where the API is, e.g. `http://localhost:3000` (no trailing `/v1`); in a browser `/` means the page's origin. */
  baseUrl: string;
  /** A fetch to use instead of `globalThis.fetch` (a proxy agent, a test observer…). It is called as `fetch(url, init)`. */
  fetch?: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
  /**
   * Milliseconds an attempt waits for the server at any one point: for the response, then for each
   * next chunk of its body (time you spend on what arrived does not count). Default 30000; `0` waits forever.
   */
  timeout?: number | undefined;
  /** Retries after the first attempt (default 3); shorthand for `retry: { retries }`. */
  retries?: number | undefined;
  /** Retries of network errors, timeouts, 429, 502, 503 and 504 (default `{ retries: 3, minDelayMs: 500, maxDelayMs: 10000 }`), or `false`. */
  retry?: RetryOptions | false | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /** Called before each attempt (retries included): log it, measure it, or change `init.headers`. */
  onRequest?: ((context: RequestContext) => void | Promise<void>) | undefined;
  /** Called with each attempt's response, whatever its status, before it becomes a result or an error. */
  onResponse?: ((context: ResponseContext) => void | Promise<void>) | undefined;
  /**
   * Keep each JSON answer with its ETag and revalidate it (`If-None-Match`): a 304 is answered from the
   * copy. `true` keeps the last 100 URLs; `{ maxEntries }` says how many. Off by default.
   */
  cache?: boolean | { maxEntries?: number | undefined } | undefined;
}

const TRANSPORT = Symbol('lakefront.transport');

/** A configured connection to one Lakefront server: what `dataset()` and `endpoint()` run on. */
export interface LakefrontClient {
  readonly baseUrl: string;
  /** @internal */
  readonly [TRANSPORT]: Transport;
}

/**
 * One GET answered as a whole (a report, a boundary set): parameters are required when the spec
 * requires one. With `{ ifNoneMatch }` it answers `NotModified` when the copy you hold is current.
 */
export type EndpointCall<Op extends Operation> =
  Record<never, never> extends ParamsOf<Op>
    ? {
        (params: ParamsOf<Op> | undefined, options: ConditionalCallOptions): Promise<ResultOf<Op> | NotModified>;
        (params?: ParamsOf<Op>, options?: CallOptions): Promise<ResultOf<Op>>;
      }
    : {
        (params: ParamsOf<Op>, options: ConditionalCallOptions): Promise<ResultOf<Op> | NotModified>;
        (params: ParamsOf<Op>, options?: CallOptions): Promise<ResultOf<Op>>;
      };

/** A report or boundary set: call it, or get TanStack Query options for it. */
export type EndpointApi<Op extends Operation> = EndpointCall<Op> & {
  /** `{ queryKey, queryFn }` for TanStack Query; the queryFn honours the signal it is given. */
  queryOptions(params?: ParamsOf<Op>, options?: Omit<CallOptions, 'signal'>): QueryOptions<ResultOf<Op>>;
};

/**
 * The transport alone (options, hooks, retries, timeout, cache), without any dataset: with
 * `dataset()` and `endpoint()` a bundle carries only the resources it names.
 */
export function createLakefrontClient(options: LakefrontOptions): LakefrontClient {
  // An absolute http(s) URL, or in a browser a path on the page's own origin (`/`).
  if (typeof options?.baseUrl !== 'string' || !/^(https?:\/\/|\/)/.test(options.baseUrl)) {
    throw new TypeError(`createLakefront: baseUrl must be an http(s) URL, got ${String(options?.baseUrl)}`);
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const cache = options.cache ? new EtagCache(options.cache === true ? 100 : (options.cache.maxEntries ?? 100)) : undefined;
  const transport = createTransport({
    baseUrl,
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    timeoutMs: options.timeout === undefined ? DEFAULT_TIMEOUT_MS : checkedTimeout(options.timeout),
    retry: resolveRetry(options.retry, options.retries),
    headers: options.headers ?? {},
    onRequest: options.onRequest,
    onResponse: options.onResponse,
    cache,
  });
  return { baseUrl, [TRANSPORT]: transport };
}

/** A dataset's methods (`list`, `rows`, `pages`, `ndjson`, `csv`, …) from its generated list operation: `dataset(client, listCrimes)`. */
export function dataset<Op extends Operation>(client: LakefrontClient, op: Op): DatasetApiOf<Op> {
  return datasetAt(client, routeOf(op)) as unknown as DatasetApiOf<Op>;
}

/** A report or boundary set from its generated operation: `endpoint(client, getCrimesByZip)`. */
export function endpoint<Op extends Operation>(client: LakefrontClient, op: Op): EndpointApi<Op> {
  return endpointAt(client, routeOf(op)) as unknown as EndpointApi<Op>;
}

/** @internal The transport a client runs on (for the SDK's own modules). */
export function transportOf(client: LakefrontClient): Transport {
  return client[TRANSPORT];
}

/** @internal A dataset's methods on a route (typed by the caller). */
export function datasetAt(client: LakefrontClient, route: Route): DatasetApiOf<Operation> {
  return datasetApi(client[TRANSPORT], route, client.baseUrl);
}

/** @internal A whole-answer GET on a route, with its queryOptions (typed by the caller). */
export function endpointAt(client: LakefrontClient, route: Route): EndpointApi<Operation> {
  const transport = client[TRANSPORT];
  const call = (params?: object, callOptions?: CallOptions) => callRoute(transport, route, params, callOptions);
  return Object.assign(call, {
    queryOptions: (params?: object, callOptions?: Omit<CallOptions, 'signal'>) => ({
      queryKey: queryKeyOf(client.baseUrl, route.url, 'get', params),
      queryFn: ({ signal }: { signal: AbortSignal }) => call(params, { ...callOptions, signal }),
    }),
  }) as unknown as EndpointApi<Operation>;
}
