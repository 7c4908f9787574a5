import type { Client } from './generated/client/index.js';
import type { PointFeatureCollection } from './generated/types.gen.js';
import { LakefrontError, throwIfAborted } from './errors.js';
import { callOperation, type CallOptions, type Operation, type ParamsOf, type ResultOf } from './operation.js';

/** A row with every column, as served when `fields` is not given (the spec marks columns optional because of `fields`). */
type FullRow<Op extends Operation> = ResultOf<Op> extends { data: Array<infer Row> } ? Required<Row> : never;

/**
 * One row of a dataset, typed from the spec: every column by default, only the chosen columns
 * when the call names `fields`, and each column possibly absent when `fields` is not known statically.
 */
export type RowOf<Op extends Operation, Params = object> = Params extends { fields: ReadonlyArray<infer Field> }
  ? Pick<FullRow<Op>, Extract<Field, keyof FullRow<Op>>>
  : 'fields' extends keyof Params
    ? Partial<FullRow<Op>>
    : FullRow<Op>;

/** A page as served (`data`, `next_cursor`, `total` with `count: 'exact'`), its rows typed by the call's `fields`. */
export type PageOf<Op extends Operation, Params = object> = Omit<ResultOf<Op>, 'data'> & { data: Array<RowOf<Op, Params>> };

/** A GeoJSON page of Point features whose properties are the row's columns. */
export type FeaturesOf<Op extends Operation, Params = object> = Omit<PointFeatureCollection, 'features'> & {
  features: Array<Omit<PointFeatureCollection['features'][number], 'properties'> & { properties: RowOf<Op, Params> }>;
};

/** Parameters of one JSON page (the format is the method's business). */
export type ListParams<Op extends Operation> = Omit<ParamsOf<Op>, 'format'>;
/** Parameters of an iteration or export: the filters, `fields`, `order` and `limit`; the SDK handles `cursor`. */
export type RowsParams<Op extends Operation> = Omit<ParamsOf<Op>, 'format' | 'cursor' | 'count'>;

/**
 * The call's own parameter object, checked against the allowed ones, keys that are not parameters
 * (say `primary_type` for `primaryType`) included: inference alone would let those through.
 */
type Exactly<Params, Allowed> = Params & Allowed & Record<Exclude<keyof Params, keyof Allowed>, never>;

export interface DatasetApi<Op extends Operation> {
  /** One page: `{ data, next_cursor }` exactly as served. Pass `next_cursor` back as `cursor`. */
  list<Params extends object = Record<never, never>>(params?: Exactly<Params, ListParams<Op>>, options?: CallOptions): Promise<PageOf<Op, Params>>;
  /**
   * Every matching row across cursor pages, fetched one page at a time as you iterate (`limit` is
   * the page size, default 1000). Leaving the loop stops fetching; the signal rejects the next step.
   */
  rows<Params extends object = Record<never, never>>(
    params?: Exactly<Params, RowsParams<Op>>,
    options?: CallOptions,
  ): AsyncGenerator<RowOf<Op, Params>, void, undefined>;
  /** Every matching row as CSV text (header line first), in one streamed response; `limit` caps the rows. */
  csv(params?: RowsParams<Op>, options?: CallOptions): Promise<string>;
  /** The same CSV as a web ReadableStream of bytes, for exports too big to hold in memory. */
  csvStream(params?: RowsParams<Op>, options?: CallOptions): Promise<ReadableStream<Uint8Array>>;
  /** Every matching row as NDJSON (one JSON object per line), streamed. */
  ndjsonStream(params?: RowsParams<Op>, options?: CallOptions): Promise<ReadableStream<Uint8Array>>;
}

/** Datasets with point coordinates also answer one page as GeoJSON. */
export interface PointDatasetApi<Op extends Operation> extends DatasetApi<Op> {
  geojson<Params extends object = Record<never, never>>(
    params?: Exactly<Params, ListParams<Op>>,
    options?: CallOptions,
  ): Promise<FeaturesOf<Op, Params>>;
}

/** What `lf.<dataset>` offers for a list operation: GeoJSON only where the spec offers it. */
export type DatasetApiOf<Op extends Operation> = ParamsOf<Op> extends { format?: infer Format }
  ? 'geojson' extends Format
    ? PointDatasetApi<Op>
    : DatasetApi<Op>
  : DatasetApi<Op>;

const ROWS_PAGE_SIZE = 1000;

export function datasetApi<Op extends Operation>(client: Client, op: Op): PointDatasetApi<Op> {
  const call = (params: object | undefined, options: CallOptions | undefined, format: string, as?: 'text' | 'stream') =>
    callOperation(client, op, { ...params, format }, options, as);
  return {
    list: (params, options) => call(params, options, 'json'),
    geojson: (params, options) => call(params, options, 'geojson'),
    csv: (params, options) => call(params, options, 'csv', 'text'),
    csvStream: (params, options) => call(params, options, 'csv', 'stream'),
    ndjsonStream: (params, options) => call(params, options, 'ndjson', 'stream'),
    async *rows(params, options = {}) {
      const seen = new Set<string>();
      let cursor: string | undefined;
      do {
        throwIfAborted(options.signal);
        const page = await call({ limit: ROWS_PAGE_SIZE, ...params, cursor }, options, 'json');
        for (const row of page.data) {
          throwIfAborted(options.signal);
          yield row;
        }
        cursor = page.next_cursor ?? undefined;
        // A cursor seen before would fetch a page twice and never end: refuse instead.
        if (cursor !== undefined && seen.has(cursor)) throw new LakefrontError(`The server repeated cursor ${cursor}`);
        if (cursor !== undefined) seen.add(cursor);
      } while (cursor !== undefined);
    },
  };
}
