import type { listDatasets } from './generated/sdk.gen.js';
import { aggregateAt, type AggregateApi } from './aggregate.js';
import { createLakefrontClient, datasetAt, endpointAt, type EndpointApi, type LakefrontOptions } from './client.js';
import type { DatasetApiOf } from './dataset.js';
import { routeAt, type ResultOf } from './operation.js';
import type { CallOptions } from './transport.js';
import {
  BOUNDARY_PATHS,
  DATASET_PATHS,
  REPORT_PATHS,
  type BOUNDARY_OPERATIONS,
  type DatasetAggregateTypes,
  type DatasetOperationTypes,
  type REPORT_OPERATIONS,
} from './table.js';

type DatasetOperations = DatasetOperationTypes;
type DatasetAggregates = DatasetAggregateTypes;
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
 * `createLakefront({ baseUrl }).crimes.list({ primaryType: 'THEFT' })`.
 * It runs on the API's paths alone (the generated operations only type it), so a browser bundle of
 * it carries no dataset's code: each dataset costs it a path. `createLakefrontClient` with
 * `dataset` and `endpoint` builds only the parts an app names.
 */
export function createLakefront(options: LakefrontOptions): Lakefront {
  const client = createLakefrontClient(options);
  const each = <Value,>(paths: Record<string, Value>, build: (path: Value) => unknown) =>
    Object.fromEntries(Object.entries(paths).map(([key, path]) => [key, build(path)]));
  const datasetsList = endpointAt(client, routeAt('/v1/datasets'));
  return {
    ...each(DATASET_PATHS, (paths) => Object.assign(datasetAt(client, routeAt(paths.list)), { aggregate: aggregateAt(client, routeAt(paths.aggregate)) })),
    datasets: { list: (callOptions?: CallOptions) => datasetsList(undefined, callOptions) },
    reports: each(REPORT_PATHS, (path) => endpointAt(client, routeAt(path))),
    boundaries: each(BOUNDARY_PATHS, (path) => endpointAt(client, routeAt(path))),
  } as unknown as Lakefront;
}
