import type { PointFeatureCollection } from './generated/types.gen.js';
import { LakefrontError, throwIfAborted } from './errors.js';
import { readNdjson } from './ndjson.js';
import { isNotModified, type ConditionalCallOptions, type NotModified } from './not-modified.js';
import { callRoute, type Operation, type PageParamsOf, type ResultOf, type Route, type RowsParamsOf } from './operation.js';
import { queryKeyOf, type InfiniteQueryOptions, type QueryOptions } from './query.js';
import type { CallOptions, Transport } from './transport.js';

type RowSchema<Op extends Operation> = ResultOf<Op> extends { data: Array<infer Row> } ? Row : never;
/** A row with every column, as served when `fields` is not given (the spec marks columns optional because of `fields`). */
type FullRow<Op extends Operation> = Required<RowSchema<Op>>;
/** The key columns the spec marks required: the server sends them whatever `fields` says. */
type KeyColumns<Row> = { [Key in keyof Row]-?: Record<never, never> extends Pick<Row, Key> ? never : Key }[keyof Row];

/** A column name of the dataset, as `fields` takes it. */
export type FieldOf<Op extends Operation> = keyof FullRow<Op> & string;
/** What `fields` may be: one column, several, or not given. */
export type FieldsParam<Op extends Operation> = FieldOf<Op> | readonly FieldOf<Op>[] | undefined;
type Chosen<Fields> = Fields extends readonly (infer Field)[] ? Field : Fields;
/** Known statically: one column, or a literal list (`['id', 'block']` is inferred as a tuple); not a `Field[]` variable. */
type Exact<Fields> = Fields extends readonly unknown[] ? (number extends Fields['length'] ? false : true) : true;
/** Whether the compiling project checks null and undefined (evaluated in the consumer's own program). */
type StrictNullChecks = undefined extends string ? false : true;
/** `fields` may be absent (its type includes undefined); without strictNullChecks every type does, so that says nothing. */
type MaybeAbsent<Fields> = StrictNullChecks extends true ? (undefined extends Fields ? true : false) : false;
/** Any column may be missing but the key, which the server always sends. */
type KeyedPartial<Op extends Operation> = Partial<FullRow<Op>> & Pick<FullRow<Op>, KeyColumns<RowSchema<Op>>>;

/**
 * One row of a dataset, typed from the spec and the call's `fields`: every column without it;
 * the chosen columns plus the key (which the server always sends) with it; every column possibly
 * absent but the key when `fields` is not known statically (an array variable, say).
 */
export type RowOf<Op extends Operation, Fields = undefined> = [Fields] extends [undefined]
  ? FullRow<Op>
  : MaybeAbsent<Fields> extends true
    ? KeyedPartial<Op>
    : Exact<Fields> extends true
      ? Pick<FullRow<Op>, Extract<Chosen<Fields>, keyof FullRow<Op>> | KeyColumns<RowSchema<Op>>>
      : KeyedPartial<Op>;

/** A page as served (`data`, `next_cursor`, `total` with `count: 'exact'`), its rows typed by the call's `fields`. */
export type PageOf<Op extends Operation, Fields = undefined> = Omit<ResultOf<Op>, 'data'> & { data: Array<RowOf<Op, Fields>> };

/** A GeoJSON page of Point features whose properties are the row's columns. */
export type FeaturesOf<Op extends Operation, Fields = undefined> = Omit<PointFeatureCollection, 'features'> & {
  features: Array<Omit<PointFeatureCollection['features'][number], 'properties'> & { properties: RowOf<Op, Fields> }>;
};

/** Parameters of one JSON page (the format is the method's business): `ListCrimesPageParams` for `lf.crimes`. */
export type ListParams<Op extends Operation> = PageParamsOf<Op>;
/** Parameters of an iteration or export: the filters, `fields`, `order` and `limit`; the SDK handles `cursor`. `ListCrimesRowsParams` for `lf.crimes`. */
export type RowsParams<Op extends Operation> = RowsParamsOf<Op>;

/** Options of the page iterators. */
export interface PagesOptions extends CallOptions {
  /** Fetch the next page while the caller handles this one (default false: one page at a time). */
  prefetch?: boolean | undefined;
}

export interface DatasetApi<Op extends Operation> {
  /**
   * One page: `{ data, next_cursor }` exactly as served. Pass `next_cursor` back as `cursor`.
   * With `{ ifNoneMatch: etagOf(page) }` it asks whether the page you hold is still current, and
   * answers `NotModified` (`isNotModified(answer)`) when the server says 304.
   */
  list<const Fields extends FieldsParam<Op> = undefined>(
    params: PageParamsOf<Op> & { fields?: Fields } | undefined,
    options: ConditionalCallOptions,
  ): Promise<PageOf<Op, Fields> | NotModified>;
  list<const Fields extends FieldsParam<Op> = undefined>(params?: PageParamsOf<Op> & { fields?: Fields }, options?: CallOptions): Promise<PageOf<Op, Fields>>;
  /**
   * Every page in turn, following `next_cursor` until the last. With `prefetch: true` the next page
   * is requested while you handle the current one. Leaving the loop stops it (and cancels a prefetch).
   */
  pages<const Fields extends FieldsParam<Op> = undefined>(
    params?: PageParamsOf<Op> & { fields?: Fields },
    options?: PagesOptions,
  ): AsyncGenerator<PageOf<Op, Fields>, void, undefined>;
  /**
   * Every matching row across cursor pages, fetched one page at a time as you iterate (`limit` is
   * the page size, default 1000). Leaving the loop stops fetching; the signal rejects the next step.
   */
  rows<const Fields extends FieldsParam<Op> = undefined>(
    params?: RowsParamsOf<Op> & { fields?: Fields },
    options?: PagesOptions,
  ): AsyncGenerator<RowOf<Op, Fields>, void, undefined>;
  /**
   * Every matching row from one streamed NDJSON response, parsed and typed as you iterate: constant
   * memory, one request. Leaving the loop closes the response.
   */
  ndjson<const Fields extends FieldsParam<Op> = undefined>(
    params?: RowsParamsOf<Op> & { fields?: Fields },
    options?: CallOptions,
  ): AsyncGenerator<RowOf<Op, Fields>, void, undefined>;
  /** Every matching row as CSV text (header line first), in one streamed response; `limit` caps the rows. */
  csv(params?: RowsParamsOf<Op>, options?: CallOptions): Promise<string>;
  /** The same CSV as a web ReadableStream of bytes, for exports too big to hold in memory. */
  csvStream(params?: RowsParamsOf<Op>, options?: CallOptions): Promise<ReadableStream<Uint8Array>>;
  /** Every matching row as NDJSON bytes (one JSON object per line), streamed. */
  ndjsonStream(params?: RowsParamsOf<Op>, options?: CallOptions): Promise<ReadableStream<Uint8Array>>;
  /**
   * `{ queryKey, queryFn }` for TanStack Query (`useQuery(lf.crimes.queryOptions(params))`): one
   * page, cancelled through the signal TanStack passes.
   */
  queryOptions<const Fields extends FieldsParam<Op> = undefined>(
    params?: PageParamsOf<Op> & { fields?: Fields },
    options?: Omit<CallOptions, 'signal'>,
  ): QueryOptions<PageOf<Op, Fields>>;
  /** The same for `useInfiniteQuery`: pages follow `next_cursor`, from `initialPageParam: null`. */
  infiniteQueryOptions<const Fields extends FieldsParam<Op> = undefined>(
    params?: Omit<PageParamsOf<Op>, 'cursor'> & { fields?: Fields },
    options?: Omit<CallOptions, 'signal'>,
  ): InfiniteQueryOptions<PageOf<Op, Fields>>;
}

/** Datasets with point coordinates also answer one page as GeoJSON. */
export interface PointDatasetApi<Op extends Operation> extends DatasetApi<Op> {
  geojson<const Fields extends FieldsParam<Op> = undefined>(
    params: PageParamsOf<Op> & { fields?: Fields } | undefined,
    options: ConditionalCallOptions,
  ): Promise<FeaturesOf<Op, Fields> | NotModified>;
  geojson<const Fields extends FieldsParam<Op> = undefined>(
    params?: PageParamsOf<Op> & { fields?: Fields },
    options?: CallOptions,
  ): Promise<FeaturesOf<Op, Fields>>;
}

/** What `lf.<dataset>` offers for a list operation: GeoJSON only where the spec offers it. */
export type DatasetApiOf<Op extends Operation> = NonNullable<Parameters<Op>[0]> extends { query?: { format?: infer Format } }
  ? 'geojson' extends Format
    ? PointDatasetApi<Op>
    : DatasetApi<Op>
  : DatasetApi<Op>;

const ROWS_PAGE_SIZE = 1000;

/** The methods of one dataset's list route over a transport: `dataset(client, listCrimes)` and `lf.crimes` both are this. */
export function datasetApi(transport: Transport, route: Route, baseUrl: string): PointDatasetApi<Operation> {
  const call = (params: object | undefined, options: CallOptions | undefined, format: string, as: 'json' | 'text' | 'stream' = 'json') =>
    callRoute(transport, route, { ...params, format }, options, as);
  const path = route.url;

  async function* pages(params: object | undefined, options: PagesOptions = {}) {
    const { prefetch = false, ...callOptions } = options;
    const caller = callOptions.signal;
    // The iterator's own signal: the caller's, and the loop being left (which cancels a prefetch).
    const stop = new AbortController();
    const follow = () => stop.abort(caller?.reason);
    if (caller?.aborted) follow();
    else caller?.addEventListener('abort', follow, { once: true });
    const fetchPage = (cursor: string | undefined) => {
      const pending = call({ ...params, cursor }, { ...callOptions, signal: stop.signal }, 'json');
      pending.catch(() => undefined); // reported when awaited; a prefetch never awaited must not be unhandled
      return pending;
    };
    const seen = new Set<string>();
    try {
      let next = fetchPage((params as { cursor?: string } | undefined)?.cursor);
      for (;;) {
        const page = await next;
        // An If-None-Match header among the options: an iteration has no copy to keep.
        if (isNotModified(page)) throw new LakefrontError('pages() and rows() cannot revalidate: send If-None-Match with list() ({ ifNoneMatch })', { status: 304 });
        const cursor: string | undefined = page.next_cursor ?? undefined;
        // A cursor seen before would fetch a page twice and never end: refuse instead.
        if (cursor !== undefined && seen.has(cursor)) throw new LakefrontError(`The server repeated cursor ${cursor}`);
        if (cursor !== undefined) seen.add(cursor);
        if (cursor !== undefined && prefetch) next = fetchPage(cursor);
        throwIfAborted(caller);
        yield page;
        if (cursor === undefined) return;
        if (!prefetch) next = fetchPage(cursor);
      }
    } finally {
      stop.abort();
      caller?.removeEventListener('abort', follow);
    }
  }

  const list = (params: object | undefined, options: CallOptions | undefined) => call(params, options, 'json');
  return {
    list,
    pages,
    geojson: (params, options) => call(params, options, 'geojson'),
    csv: (params, options) => call(params, options, 'csv', 'text'),
    csvStream: (params, options) => call(params, options, 'csv', 'stream'),
    ndjsonStream: (params, options) => call(params, options, 'ndjson', 'stream'),
    async *ndjson(params, options) {
      yield* readNdjson(await call(params, options, 'ndjson', 'stream'), options?.signal);
    },
    async *rows(params, options = {}) {
      for await (const page of pages({ limit: ROWS_PAGE_SIZE, ...params }, options)) {
        for (const row of page.data) {
          throwIfAborted(options.signal);
          yield row;
        }
      }
    },
    queryOptions: (params, options) => ({
      queryKey: queryKeyOf(baseUrl, path, 'list', params),
      queryFn: ({ signal }) => list(params, { ...options, signal }),
    }),
    infiniteQueryOptions: (params, options) => ({
      queryKey: queryKeyOf(baseUrl, path, 'pages', params),
      queryFn: ({ signal, pageParam }) => list({ ...params, cursor: pageParam ?? undefined }, { ...options, signal }),
      initialPageParam: null,
      getNextPageParam: (lastPage) => (lastPage as unknown as { next_cursor: string | null }).next_cursor,
    }),
  } as PointDatasetApi<Operation>;
}
