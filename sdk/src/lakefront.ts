import { createClient } from './generated/client/index.js';
import { listDatasets } from './generated/sdk.gen.js';
import { datasetApi, type DatasetApiOf } from './dataset.js';
import { callOperation, type CallOptions, type Operation, type ParamsOf, type ResultOf } from './operation.js';
import { resolveRetry, retryingFetch, type RetryOptions } from './retry.js';
import { BOUNDARY_OPERATIONS, DATASET_OPERATIONS, REPORT_OPERATIONS } from './table.js';

export interface LakefrontOptions {
  /** Where the API is, e.g. `http://localhost:3000` (no trailing `/v1`); in a browser `/` means the page's origin. */
  baseUrl: string;
  /** A fetch to use instead of `globalThis.fetch` (a proxy agent, a test observer…). */
  fetch?: typeof fetch;
  /** Retries of network errors, 429 and 503 (default `{ retries: 3, minDelayMs: 500, maxDelayMs: 10000 }`), or `false`. */
  retry?: RetryOptions | false;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** One GET answered as a whole (a report, a boundary set): parameters are required when the spec requires one. */
export type EndpointApi<Op extends Operation> =
  Record<never, never> extends ParamsOf<Op>
    ? (params?: ParamsOf<Op>, options?: CallOptions) => Promise<ResultOf<Op>>
    : (params: ParamsOf<Op>, options?: CallOptions) => Promise<ResultOf<Op>>;

type DatasetOperations = typeof DATASET_OPERATIONS;
type ReportOperations = typeof REPORT_OPERATIONS;
type BoundaryOperations = typeof BOUNDARY_OPERATIONS;

export type Lakefront = { readonly [Key in keyof DatasetOperations]: DatasetApiOf<DatasetOperations[Key]> } & {
  readonly datasets: {
    /** Every dataset served, with its portal ids, row count and last load time. */
    list(options?: CallOptions): Promise<ResultOf<typeof listDatasets>>;
  };
  readonly reports: { readonly [Key in keyof ReportOperations]: EndpointApi<ReportOperations[Key]> };
  readonly boundaries: { readonly [Key in keyof BoundaryOperations]: EndpointApi<BoundaryOperations[Key]> };
};

/** The Lakefront client: `createLakefront({ baseUrl }).crimes.list({ primaryType: ['THEFT'] })`. */
export function createLakefront(options: LakefrontOptions): Lakefront {
  // An absolute http(s) URL, or in a browser a path on the page's own origin (`/`).
  if (typeof options?.baseUrl !== 'string' || !/^(https?:\/\/|\/)/.test(options.baseUrl)) {
    throw new TypeError(`createLakefront: baseUrl must be an http(s) URL, got ${String(options?.baseUrl)}`);
  }
  const baseFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const client = createClient({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: retryingFetch(baseFetch, resolveRetry(options.retry)),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const endpoint = (op: Operation) => (params?: object, callOptions?: CallOptions) => callOperation(client, op, params, callOptions);
  const map = <T extends Record<string, Operation>, R>(table: T, build: (op: Operation) => R) =>
    Object.fromEntries(Object.entries(table).map(([key, op]) => [key, build(op)]));
  return {
    ...map(DATASET_OPERATIONS, (op) => datasetApi(client, op)),
    datasets: { list: (callOptions?: CallOptions) => callOperation(client, listDatasets, undefined, callOptions) },
    reports: map(REPORT_OPERATIONS, endpoint),
    boundaries: map(BOUNDARY_OPERATIONS, endpoint),
  } as Lakefront;
}
