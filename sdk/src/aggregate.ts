import { endpointAt, transportOf, type LakefrontClient } from './client.js';
import { readNdjson } from './ndjson.js';
import { callRoute, routeOf, type Operation, type PageParamsOf, type ResultOf, type Route } from './operation.js';
import type { ConditionalCallOptions, NotModified } from './not-modified.js';
import type { QueryOptions } from './query.js';
import type { CallOptions } from './transport.js';

/** Parameters of `lf.<dataset>.aggregate`: groups, bucket, measures, order, limit and the list's filters (the method chooses the format): `AggregateCrimesGroupParams`. */
export type AggregateParams<Op extends Operation> = PageParamsOf<Op>;

type AnyRow<Op extends Operation> = ResultOf<Op> extends { data: Array<infer Row> } ? Row : never;
type Measure = 'sum' | 'avg' | 'min' | 'max';
/** A list parameter takes one value or an array. */
type Items<Value> = Value extends ReadonlyArray<infer Item> ? Item : Value;

type GroupFields<Params> = Params extends { groupBy: infer Columns } ? Items<Columns> : never;
type BucketField<Params> = Params extends { bucket: infer Bucket }
  ? Bucket extends 'dow' | 'hour'
    ? Bucket
    : Bucket extends string
      ? 'period'
      : never
  : never;
type MeasureFields<Params> = {
  [M in Measure]: Params extends { [K in M]: infer Columns } ? `${M}_${Items<Columns> & string}` : never;
}[Measure];

/**
 * One group as the call asked for it: the columns of `groupBy` with their column types, the
 * bucket's field (`period`, `dow` or `hour`), `count`, and each measure (`avg_fare`: number | null).
 */
export type AggregateRowOf<Op extends Operation, Params = object> = Required<
  Pick<AnyRow<Op>, Extract<GroupFields<Params> | BucketField<Params> | MeasureFields<Params> | 'count', keyof AnyRow<Op>>>
>;

export interface AggregateAnswer<Row> {
  readonly data: Row[];
  /** More groups matched than `limit` allowed. */
  readonly truncated: boolean;
}

type Param<Op extends Operation, Name extends string> = (Name extends keyof AggregateParams<Op> ? AggregateParams<Op>[Name] : never) | undefined;

/**
 * The call's shape-giving parameters, inferred one by one (not the whole object, which would
 * lose the check of unknown names): what the answer's rows are typed from.
 */
type AggregateCall<Op extends Operation> = <
  const GroupBy extends Param<Op, 'groupBy'> = undefined,
  const Bucket extends Param<Op, 'bucket'> = undefined,
  const Sum extends Param<Op, 'sum'> = undefined,
  const Avg extends Param<Op, 'avg'> = undefined,
  const Min extends Param<Op, 'min'> = undefined,
  const Max extends Param<Op, 'max'> = undefined,
>(
  params?: AggregateParams<Op> & { groupBy?: GroupBy; bucket?: Bucket; sum?: Sum; avg?: Avg; min?: Min; max?: Max },
  options?: CallOptions,
) => Promise<AggregateAnswer<AggregateRowOf<Op, { groupBy: GroupBy; bucket: Bucket; sum: Sum; avg: Avg; min: Min; max: Max }>>>;

/** `lf.crimes.aggregate({ groupBy: ['primary_type'], bucket: 'month', from: '2024-01-01' })`. */
export type AggregateApi<Op extends Operation> = {
  /** With `{ ifNoneMatch }`: `NotModified` when the groups you hold are still current. */
  <
    const GroupBy extends Param<Op, 'groupBy'> = undefined,
    const Bucket extends Param<Op, 'bucket'> = undefined,
    const Sum extends Param<Op, 'sum'> = undefined,
    const Avg extends Param<Op, 'avg'> = undefined,
    const Min extends Param<Op, 'min'> = undefined,
    const Max extends Param<Op, 'max'> = undefined,
  >(
    params: (AggregateParams<Op> & { groupBy?: GroupBy; bucket?: Bucket; sum?: Sum; avg?: Avg; min?: Min; max?: Max }) | undefined,
    options: ConditionalCallOptions,
  ): Promise<AggregateAnswer<AggregateRowOf<Op, { groupBy: GroupBy; bucket: Bucket; sum: Sum; avg: Avg; min: Min; max: Max }>> | NotModified>;
} & AggregateCall<Op> & {
  /** `{ queryKey, queryFn }` for TanStack Query, as for a dataset's pages; the queryFn honours the signal it is given. */
  queryOptions<
    const GroupBy extends Param<Op, 'groupBy'> = undefined,
    const Bucket extends Param<Op, 'bucket'> = undefined,
    const Sum extends Param<Op, 'sum'> = undefined,
    const Avg extends Param<Op, 'avg'> = undefined,
    const Min extends Param<Op, 'min'> = undefined,
    const Max extends Param<Op, 'max'> = undefined,
  >(
    params?: AggregateParams<Op> & { groupBy?: GroupBy; bucket?: Bucket; sum?: Sum; avg?: Avg; min?: Min; max?: Max },
    options?: Omit<CallOptions, 'signal'>,
  ): QueryOptions<AggregateAnswer<AggregateRowOf<Op, { groupBy: GroupBy; bucket: Bucket; sum: Sum; avg: Avg; min: Min; max: Max }>>>;
  /**
   * The same groups from an NDJSON response, parsed and typed as you iterate, as a dataset's
   * `ndjson()` gives rows (`limit` caps the groups, as for the JSON answer).
   */
  ndjson<
    const GroupBy extends Param<Op, 'groupBy'> = undefined,
    const Bucket extends Param<Op, 'bucket'> = undefined,
    const Sum extends Param<Op, 'sum'> = undefined,
    const Avg extends Param<Op, 'avg'> = undefined,
    const Min extends Param<Op, 'min'> = undefined,
    const Max extends Param<Op, 'max'> = undefined,
  >(
    params?: AggregateParams<Op> & { groupBy?: GroupBy; bucket?: Bucket; sum?: Sum; avg?: Avg; min?: Min; max?: Max },
    options?: CallOptions,
  ): AsyncGenerator<AggregateRowOf<Op, { groupBy: GroupBy; bucket: Bucket; sum: Sum; avg: Avg; min: Min; max: Max }>, void, undefined>;
  /** The same groups as CSV text (header line first), for a spreadsheet. */
  csv(params?: AggregateParams<Op>, options?: CallOptions): Promise<string>;
};

/** A dataset's grouped counts from its generated aggregate operation: `aggregate(client, aggregateCrimes)`. */
export function aggregate<Op extends Operation>(client: LakefrontClient, op: Op): AggregateApi<Op> {
  return aggregateAt(client, routeOf(op)) as unknown as AggregateApi<Op>;
}

/** @internal Grouped counts on a route (typed by the caller): always JSON. */
export function aggregateAt(client: LakefrontClient, route: Route): AggregateApi<Operation> {
  const grouped = endpointAt(client, route) as unknown as ((params: object, options?: CallOptions) => Promise<AggregateAnswer<never>>) & {
    queryOptions(params: object, options?: Omit<CallOptions, 'signal'>): QueryOptions<AggregateAnswer<never>>;
  };
  const transport = transportOf(client);
  const call = (params?: object, options?: CallOptions) => grouped({ ...params, format: 'json' }, options);
  return Object.assign(call, {
    queryOptions: (params?: object, options?: Omit<CallOptions, 'signal'>) => grouped.queryOptions({ ...params, format: 'json' }, options),
    async *ndjson(params?: object, options?: CallOptions) {
      yield* readNdjson(await callRoute(transport, route, { ...params, format: 'ndjson' }, options, 'stream'), options?.signal);
    },
    csv: (params?: object, options?: CallOptions) => callRoute(transport, route, { ...params, format: 'csv' }, options, 'text'),
  }) as unknown as AggregateApi<Operation>;
}
