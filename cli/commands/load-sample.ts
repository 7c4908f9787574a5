import { datasets, findDataset, type DatasetDefinition } from '../../core/datasets/index.js';
import { migrateLatest } from '../../core/db/migrate.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { loadSample } from '../../ingest/load-sample.js';
import { openDatabase, type CliContext } from '../context.js';

export async function loadSampleCommand(context: CliContext, keys: string[]): Promise<void> {
  const selected = keys.length ? keys.map(requireDataset) : datasets.filter((dataset) => dataset.sample);
  const db = await openDatabase(context);
  try {
    await migrateLatest(db.knex);
    for (const dataset of selected) await loadSample(db.knex, dataset, context.log);
    await refreshRollups(db, selected.map((dataset) => dataset.key));
  } finally {
    await db.close();
  }
}

export function requireDataset(key: string): DatasetDefinition {
  const dataset = findDataset(key);
  if (!dataset) throw new Error(`unknown dataset "${key}"; known: ${datasets.map((item) => item.key).join(', ')}`);
  return dataset;
}
