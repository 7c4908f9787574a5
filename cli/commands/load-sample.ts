import { datasets, findDataset, type DatasetDefinition } from '../../core/datasets/index.js';
import { migrateLatest } from '../../core/db/migrate.js';
import { loadSamples } from '../../ingest/load-sample.js';
import { openDatabase, type CliContext } from '../context.js';

/** `lakefront load-sample [dataset...]`: loads the bundled samples, enriches every row with a point and refreshes the reports. */
export async function loadSampleCommand(context: CliContext, keys: string[]): Promise<void> {
  const selected = keys.length ? keys.map(requireDataset) : datasets.filter((dataset) => dataset.sample);
  for (const dataset of selected) {
    if (!dataset.sample) throw new Error(`dataset "${dataset.key}" has no bundled sample`);
  }
  const db = await openDatabase(context);
  try {
    await migrateLatest(db.knex);
    const results = await loadSamples(db, context.log, { datasets: selected });
    for (const result of results) process.stdout.write(`${result.dataset}: ${result.rows} rows loaded\n`);
  } finally {
    await db.close();
  }
}

export function requireDataset(key: string): DatasetDefinition {
  const dataset = findDataset(key);
  if (!dataset) throw new Error(`unknown dataset "${key}"; known: ${datasets.map((item) => item.key).join(', ')}`);
  return dataset;
}
