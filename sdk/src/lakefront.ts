import { listDatasets } from './generated/sdk.gen.js';
import { aggregate, type AggregateApi } from './aggregate.js';
import { callWithoutParams, createLakefrontClient, dataset, endpoint, type EndpointApi, type LakefrontOptions } from './client.js';
import type { DatasetApiOf } from './dataset.js';
import type { ResultOf } from './operation.js';
import type { CallOptions } from './transport.js';
import { BOUNDARY_OPERATIONS, DATASET_AGGREGATES, DATASET_OPERATIONS, REPORT_OPERATIONS } from './table.js';

type DatasetOperations = typeof DATASET_OPERATIONS;
type DatasetAggregates = typeof DATASET_AGGREGATES;
type ReportOperations = typeof REPORT_OPERATIONS;
type BoundaryOperations = typeof BOUNDARY_OPERATIONS;

export type Lakefront = {
  readonly [Key in keyof DatasetOperations]: DatasetApiOf<DatasetOperations[Key]> &
    (Key extends keyof DatasetAggregates ? { readonly aggregate: AggregateApi<DatasetAggregates[Key]> } : unknown);
} & {
  readonly datasets: {
    /** Every dataset served, with its portal ids, row count and last load time. */
    list(options?: CallOptions): Promise<ResultOf<typeof listDatasets>>;
  };
  readonly reports: { readonly [Key in keyof ReportOperations]: EndpointApi<ReportOperations[Key]> };
  readonly boundaries: { readonly [Key in keyof BoundaryOperations]: EndpointApi<BoundaryOperations[Key]> };
};

/**
 * The whole Lakefront client: every dataset, report and boundary set of the API,
 * `createLakefront({ baseUrl }).crimes.list({ primaryType: 'THEFT' })`. For a browser bundle that
 * carries only what it uses, build the parts with `createLakefrontClient`, `dataset` and `endpoint`.
 */
export function createLakefront(options: LakefrontOptions): Lakefront {
  const client = createLakefrontClient(options);
  const map = <T extends Record<string, unknown>, R>(table: T, build: (op: any) => R) =>
    Object.fromEntries(Object.entries(table).map(([key, op]) => [key, build(op)]));
  return {
    ...Object.fromEntries(
      Object.entries(DATASET_OPERATIONS).map(([key, op]) => {
        const grouped = DATASET_AGGREGATES[key as keyof DatasetAggregates] as DatasetAggregates[keyof DatasetAggregates] | undefined;
        return [key, Object.assign(dataset(client, op), grouped ? { aggregate: aggregate(client, grouped) } : {})];
      }),
    ),
    datasets: { list: (callOptions?: CallOptions) => callWithoutParams(client, listDatasets, callOptions) },
    reports: map(REPORT_OPERATIONS, (op) => endpoint(client, op)),
    boundaries: map(BOUNDARY_OPERATIONS, (op) => endpoint(client, op)),
  } as unknown as Lakefront;
}
