import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import { datasets as allDatasets, type DatasetDefinition } from '../core/datasets/index.js';
import type { Database } from '../core/db/connect.js';
import { bumpDataVersion } from '../core/db/data-version.js';
import { ident } from '../core/db/sql-ident.js';
import type { Logger } from '../core/log.js';
import { refreshRollups } from '../core/reports/rollups.js';
import { pointDatasets, recomputeEnrichment } from './enrich/recompute.js';
import { columnNames, mapSodaRow, type SodaRow } from './soda-values.js';

const SAMPLES_DIR = new URL('../core/datasets/samples/', import.meta.url);
const BATCH_SIZE = 500;

export interface SampleLoadResult {
  readonly dataset: string;
  readonly rows: number;
  readonly skipped: boolean;
}

/**
 * Loads a dataset's bundled real sample. With `onlyIfEmpty` an already populated table is left
 * alone, so `npm start` never overwrites synced data. Rows are upserted, so a rerun is harmless.
 */
export async function loadSample(
  knex: Knex,
  dataset: DatasetDefinition,
  log: Logger,
  options: { onlyIfEmpty?: boolean } = {},
): Promise<SampleLoadResult> {
  if (!dataset.sample) return { dataset: dataset.key, rows: 0, skipped: true };
  const table = `data.${dataset.table}`;
  if (options.onlyIfEmpty && (await knex(table).first(knex.raw('1')))) {
    return { dataset: dataset.key, rows: 0, skipped: true };
  }
  const sourceId = dataset.sourceIds[0]!;
  const rows = JSON.parse(await readFile(new URL(dataset.sample.file, SAMPLES_DIR), 'utf8')) as SodaRow[];
  const started = Date.now();
  const mergeColumns = columnNames(dataset).filter((name) => !dataset.primaryKey.includes(name));
  // Rows that would be rewritten with the values they hold are left alone (and not returned), so a
  // reload of the same sample changes nothing and keeps the data version behind the API's ETags.
  const differs = `(${mergeColumns.map((name) => `${ident(dataset.table)}.${ident(name)}`).join(', ')}) IS DISTINCT FROM (${mergeColumns.map((name) => `EXCLUDED.${ident(name)}`).join(', ')})`;
  let changed = 0;
  await knex.transaction(async (trx) => {
    for (let start = 0; start < rows.length; start += BATCH_SIZE) {
      const batch = rows.slice(start, start + BATCH_SIZE).map((row) => {
        const mapped = mapSodaRow(dataset, row, sourceId);
        for (const problem of mapped.problems) {
          log.warn({ dataset: dataset.key, key: keyOf(dataset, mapped.values) }, `malformed value, stored as NULL: ${problem}`);
        }
        return mapped.values;
      });
      const written = await trx(table).insert(batch).onConflict([...dataset.primaryKey]).merge(mergeColumns).whereRaw(differs).returning(dataset.primaryKey[0]!);
      changed += written.length;
    }
    const [{ count }] = (await trx(table).count({ count: '*' })) as [{ count: number | string }];
    await trx('lakefront.sync_state')
      .insert({
        dataset: dataset.key,
        source_id: sourceId,
        rows_total: Number(count),
        last_started_at: new Date(started).toISOString(),
        last_success_at: new Date().toISOString(),
        last_duration_ms: Date.now() - started,
        last_error: null,
      })
      .onConflict(['dataset', 'source_id'])
      .merge(['rows_total', 'last_started_at', 'last_success_at', 'last_duration_ms', 'last_error']);
    // The API's ETags follow this (core/db/data-version.ts): only if a row was inserted or changed.
    if (changed > 0) await bumpDataVersion(trx, [dataset.key]);
  });
  log.info({ dataset: dataset.key, rows: rows.length, origin: dataset.sample.origin }, 'loaded bundled sample');
  return { dataset: dataset.key, rows: rows.length, skipped: false };
}

function keyOf(dataset: DatasetDefinition, values: Record<string, unknown>): string {
  return dataset.primaryKey.map((column) => String(values[column])).join('/');
}

/**
 * Loads the bundled samples of the given datasets (default: every dataset with one), then makes
 * them servable as a sync would: computes geo_zip and geo_community_area of every row with a
 * point (the boundaries may have arrived with this load, so all point datasets are recomputed)
 * and refreshes every report rollup. With `onlyIfEmpty`, tables that already hold rows are left
 * alone, and when nothing was loaded nothing else is done.
 */
export async function loadSamples(
  db: Database,
  log: Logger,
  options: { datasets?: readonly DatasetDefinition[]; onlyIfEmpty?: boolean } = {},
): Promise<SampleLoadResult[]> {
  const results: SampleLoadResult[] = [];
  for (const dataset of (options.datasets ?? allDatasets).filter((item) => item.sample)) {
    results.push(await loadSample(db.knex, dataset, log, { onlyIfEmpty: options.onlyIfEmpty ?? false }));
  }
  if (results.every((result) => result.skipped)) return results;
  await recomputeEnrichment(db, pointDatasets(), { log });
  await refreshRollups(db);
  return results;
}
