import type { DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import { createSyncHooks } from './hooks.js';
import type { DatasetSyncSummary } from './summary.js';
import { syncDataset, type SyncOptions } from './sync-dataset.js';

/** Syncs datasets one after another (boundaries first, as the registry orders them). */
export async function syncDatasets(db: Database, selected: readonly DatasetDefinition[], options: SyncOptions): Promise<DatasetSyncSummary[]> {
  const hooks = options.hooks ?? (await createSyncHooks(db, options.log));
  const summaries: DatasetSyncSummary[] = [];
  for (const dataset of selected) summaries.push(await syncDataset(db, dataset, { ...options, hooks }));
  return summaries;
}
