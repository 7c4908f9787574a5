import type { DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import { bumpDataVersion } from '../../core/db/data-version.js';
import { mapSodaRow, type DbValue, type SodaRow } from '../../ingest/soda-values.js';

/**
 * Inserts rows given in the portal's wire format (SODA JSON) through the same mapping the sync
 * uses, for datasets without a bundled sample. `extra` sets columns the portal never sends, such
 * as `geo_zip`. Records a successful sync and moves the data version, as a writer does, so the
 * rows have a Last-Modified.
 */
export async function insertSodaRows(
  db: Database,
  dataset: DatasetDefinition,
  rows: readonly SodaRow[],
  extra: (row: SodaRow, index: number) => Record<string, DbValue> = () => ({}),
): Promise<void> {
  const sourceId = dataset.sourceIds[0]!;
  const values = rows.map((row, index) => ({
    ...mapSodaRow(dataset, { ':id': `row-${index}`, ':updated_at': '2026-01-01T00:00:00.000Z', ...row }, sourceId).values,
    ...extra(row, index),
  }));
  for (let start = 0; start < values.length; start += 200) await db.knex(`data.${dataset.table}`).insert(values.slice(start, start + 200));
  await db.knex('lakefront.sync_state')
    .insert({ dataset: dataset.key, source_id: sourceId, rows_total: rows.length, last_success_at: new Date().toISOString() })
    .onConflict(['dataset', 'source_id'])
    .merge(['rows_total', 'last_success_at']);
  await bumpDataVersion(db.knex, [dataset.key]);
}

/** A small deterministic generator, so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Minimal RFC 4180 reader for checking the CSV answers. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += char;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
