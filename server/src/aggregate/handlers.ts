import { findDataset } from '../../../core/datasets/index.js';
import type { AppDeps } from '../deps.js';
import { AGGREGATE_OPERATIONS, type AggregateOperationId } from '../generated/datasets.js';
import type { Handler, Handlers } from '../operations.js';
import { aggregateDataset } from './handler.js';

/** `GET /v1/{key}/aggregate` of every dataset, one handler each, from the same generated map as the spec. */
export function datasetAggregateHandlers(deps: AppDeps): Pick<Handlers, AggregateOperationId> {
  const handlers = {} as Record<AggregateOperationId, Handler<AggregateOperationId>>;
  for (const [operation, key] of Object.entries(AGGREGATE_OPERATIONS) as [AggregateOperationId, string][]) {
    const dataset = findDataset(key);
    if (!dataset) throw new Error(`operation ${operation}: no dataset ${key}`);
    handlers[operation] = aggregateDataset(deps, dataset);
  }
  return handlers as Pick<Handlers, AggregateOperationId>;
}
