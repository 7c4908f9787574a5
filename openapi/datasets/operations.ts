import type { DatasetOperation } from './parts.js';
import { aggregateOperation } from './aggregate.js';
import { listOperation } from './list.js';

/**
 * Every per-dataset operation of the API, in the order their paths appear under each dataset.
 * A new one (e.g. `/v1/{key}/aggregate`) is a module like `list.ts` added to this array; the
 * composer places its paths after the dataset's earlier ones and merges its components.
 */
export const DATASET_OPERATIONS: readonly DatasetOperation[] = [listOperation, aggregateOperation];
