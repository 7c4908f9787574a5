import { findDataset } from '../../../core/datasets/index.js';
import type { AppDeps } from '../deps.js';
import { LIST_OPERATIONS, type ListOperationId } from '../generated/datasets.js';
import type { Handler, Handlers } from '../operations.js';
import { listDataset } from './list-handler.js';

export type { ListOperationId } from '../generated/datasets.js';

/**
 * `GET /v1/{key}` of every dataset, one handler each. The operation ids come from the same
 * definitions as the spec (`npm run generate`), so every dataset's list is served.
 */
export function datasetListHandlers(deps: AppDeps): Pick<Handlers, ListOperationId> {
  const handlers = {} as Record<ListOperationId, Handler<ListOperationId>>;
  for (const [operation, key] of Object.entries(LIST_OPERATIONS) as [ListOperationId, string][]) {
    const dataset = findDataset(key);
    if (!dataset) throw new Error(`operation ${operation}: no dataset ${key}`);
    handlers[operation] = listDataset(deps, dataset);
  }
  return handlers as Pick<Handlers, ListOperationId>;
}
