import type { Knex } from 'knex';
import { datasets as allDatasets, GEO_COLUMNS, SQL_TYPES, type DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import { bumpDataVersion } from '../../core/db/data-version.js';
import { ident } from '../../core/db/sql-ident.js';
import type { Logger } from '../../core/log.js';
import { RowEnricher } from './row-enricher.js';

export interface RecomputeOptions {
  /** Rows read per keyset page; memory stays proportional to this, not to the table. */
  readonly batchSize?: number;
  /** Reuse an enricher that already holds the current boundaries. */
  readonly enricher?: RowEnricher;
  readonly log?: Logger;
}

export interface RecomputeSummary {
  readonly dataset: string;
  /** Rows read. */
  readonly scanned: number;
  /** Rows whose geo_zip or geo_community_area changed and were written. */
  readonly updated: number;
}

/** Datasets whose rows carry a point, hence geo columns. */
export function pointDatasets(datasets: readonly DatasetDefinition[] = allDatasets): DatasetDefinition[] {
  return datasets.filter((dataset) => dataset.point);
}

/**
 * Recomputes geo_zip and geo_community_area of every row of the given datasets (default: every
 * dataset with a point) from the boundaries in the database. Rows are read in primary-key order,
 * one page at a time, so a table of millions of rows needs the memory of one page; only rows
 * whose values change are written.
 */
export async function recomputeEnrichment(
  db: Database,
  datasets: readonly DatasetDefinition[] = pointDatasets(),
  options: RecomputeOptions = {},
): Promise<RecomputeSummary[]> {
  const enricher = options.enricher ?? (await RowEnricher.load(db.knex, options.log));
  const summaries: RecomputeSummary[] = [];
  for (const dataset of datasets) {
    if (!dataset.point) throw new Error(`dataset "${dataset.key}" has no coordinates to enrich`);
    const started = Date.now();
    const summary = await recomputeDataset(db.knex, dataset, enricher, options.batchSize ?? 5000);
    // The API's ETags follow this (core/db/data-version.ts): only when a geo column changed.
    if (summary.updated > 0) await bumpDataVersion(db.knex, [dataset.key]);
    options.log?.info({ ...summary, ms: Date.now() - started }, 'recomputed geo columns');
    summaries.push(summary);
  }
  return summaries;
}

type Row = Record<string, unknown>;

async function recomputeDataset(knex: Knex, dataset: DatasetDefinition, enricher: RowEnricher, batchSize: number): Promise<RecomputeSummary> {
  const point = dataset.point!;
  const table = `data.${dataset.table}`;
  const keys = [...dataset.primaryKey];
  const keyList = keys.map(ident).join(', ');
  let scanned = 0;
  let updated = 0;
  let after: unknown[] | null = null;
  for (;;) {
    const page = knex(table).select([...keys, point.latitude, point.longitude, GEO_COLUMNS.zip, GEO_COLUMNS.communityArea]);
    if (after) page.whereRaw(`(${keyList}) > (${keys.map(() => '?').join(', ')})`, after as Knex.Value[]);
    const rows = (await page.orderByRaw(keyList).limit(batchSize)) as Row[];
    if (rows.length === 0) break;
    scanned += rows.length;
    const changes: Row[] = [];
    for (const row of rows) {
      const geo = enricher.geoValues(row[point.longitude], row[point.latitude]);
      if (geo.zip !== row[GEO_COLUMNS.zip] || geo.communityArea !== row[GEO_COLUMNS.communityArea]) {
        const change: Row = { [GEO_COLUMNS.zip]: geo.zip, [GEO_COLUMNS.communityArea]: geo.communityArea };
        for (const key of keys) change[key] = row[key];
        changes.push(change);
      }
    }
    if (changes.length) await writeChanges(knex, dataset, changes);
    updated += changes.length;
    const last = rows[rows.length - 1]!;
    after = keys.map((key) => last[key]);
    if (rows.length < batchSize) break;
  }
  return { dataset: dataset.key, scanned, updated };
}

/** One UPDATE per page: the changed rows travel as one jsonb array, typed by jsonb_to_recordset. */
async function writeChanges(knex: Knex, dataset: DatasetDefinition, changes: Row[]): Promise<void> {
  const keyColumns = dataset.primaryKey.map((key) => {
    const column = dataset.columns.find((item) => item.name === key);
    if (!column) throw new Error(`dataset "${dataset.key}": primary key column ${key} is not declared`);
    return `${ident(key)} ${SQL_TYPES[column.type]}`;
  });
  const zip = ident(GEO_COLUMNS.zip);
  const area = ident(GEO_COLUMNS.communityArea);
  await knex.raw(
    `UPDATE data.${ident(dataset.table)} AS t SET ${zip} = v.${zip}, ${area} = v.${area}
     FROM jsonb_to_recordset(?::jsonb) AS v(${[...keyColumns, `${zip} text`, `${area} integer`].join(', ')})
     WHERE ${dataset.primaryKey.map((key) => `t.${ident(key)} = v.${ident(key)}`).join(' AND ')}`,
    [JSON.stringify(changes)],
  );
}
