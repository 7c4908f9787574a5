import type { DatasetDefinition } from './types.js';

/**
 * Names the API gives a dataset, derived from its key (`service-requests`). The spec generator,
 * the server's handler map and the SDK's table map all spell them through these functions.
 */

/** `service-requests` → `ServiceRequests`. */
export function pascalKey(key: string): string {
  return key
    .split('-')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** `service-requests` → `serviceRequests`: the SDK's `lf.serviceRequests`. */
export function camelKey(key: string): string {
  const pascal = pascalKey(key);
  return pascal[0]!.toLowerCase() + pascal.slice(1);
}

/** Operation id of `GET /v1/{key}`: `listServiceRequests`. */
export function listOperationId(dataset: Pick<DatasetDefinition, 'key'>): string {
  return `list${pascalKey(dataset.key)}`;
}

/** Path of the dataset's list: `/v1/service-requests`. */
export function listPath(dataset: Pick<DatasetDefinition, 'key'>): string {
  return `/v1/${dataset.key}`;
}

/** Operation id of `GET /v1/{key}/aggregate`: `aggregateServiceRequests`. */
export function aggregateOperationId(dataset: Pick<DatasetDefinition, 'key'>): string {
  return `aggregate${pascalKey(dataset.key)}`;
}

/** Path of the dataset's grouped counts: `/v1/service-requests/aggregate`. */
export function aggregatePath(dataset: Pick<DatasetDefinition, 'key'>): string {
  return `${listPath(dataset)}/aggregate`;
}
