import type { DatasetDefinition } from '../../core/datasets/index.js';
import type { Logger } from '../../core/log.js';
import { mapSodaRow, type DbValue, type SodaRow } from '../soda-values.js';
import { copyValue } from './copy-text.js';
import type { RowEnricher } from './hooks.js';

/** A page of SODA rows, ready for COPY. */
export interface EncodedPage {
  /** PostgreSQL COPY text of the kept rows, one line each, in the write plan's column order. */
  readonly copyText: string;
  /** The first primary-key column of each kept row, for the all-new-keys check. */
  readonly keys: readonly DbValue[];
  readonly malformedValues: number;
  readonly rejectedRows: number;
}

/**
 * Turns a page of SODA rows into COPY text. A malformed value is logged with the row's key and
 * stored as NULL; the row is kept. A row whose key itself is unusable cannot be stored: it is
 * logged with its portal `:id` and counted. Duplicate keys within the page (the portal does not
 * enforce uniqueness everywhere) keep the last version, which in `:updated_at` order is the newest.
 *
 * Each row is encoded as soon as it is mapped, so what outlives the call is one flat string per
 * page rather than thousands of row objects: the sync holds two pages across database writes,
 * and row objects kept that long are what made the garbage collector the ingest's biggest cost.
 */
export function encodePage(
  dataset: DatasetDefinition,
  columns: readonly string[],
  sourceId: string,
  page: readonly SodaRow[],
  log: Logger,
  enricher?: RowEnricher,
): EncodedPage {
  const lines: (string | undefined)[] = [];
  const keys: DbValue[] = [];
  const lineOfKey = new Map<string, number>();
  const cells: string[] = new Array<string>(columns.length);
  const [firstKey] = dataset.primaryKey;
  let malformedValues = 0;
  let rejectedRows = 0;
  for (const row of page) {
    const { values, problems } = mapSodaRow(dataset, row, sourceId);
    const keyParts = dataset.primaryKey.map((column) => values[column]);
    const key = keyParts.length === 1 ? String(keyParts[0]) : keyParts.map(String).join('\u001f');
    if (problems.length) {
      malformedValues += problems.length;
      for (const problem of problems) {
        log.warn({ dataset: dataset.key, source: sourceId, key, row_id: row[':id'] }, `malformed value stored as NULL: ${problem}`);
      }
    }
    if (keyParts.some((part) => part === null)) {
      rejectedRows += 1;
      log.error({ dataset: dataset.key, source: sourceId, row_id: row[':id'] }, `row without a usable primary key (${dataset.primaryKey.join(', ')}) not stored`);
      continue;
    }
    if (dataset.point && enricher) enricher.enrich(dataset, values);
    const earlier = lineOfKey.get(key);
    if (earlier !== undefined) lines[earlier] = undefined;
    lineOfKey.set(key, lines.length);
    for (let index = 0; index < columns.length; index += 1) cells[index] = copyValue(values[columns[index]!]);
    lines.push(cells.join('\t'));
    keys.push(values[firstKey!] ?? null);
  }
  const kept = lineOfKey.size === lines.length ? (lines as string[]) : lines.filter((line): line is string => line !== undefined);
  const keptKeys = lineOfKey.size === lines.length ? keys : keys.filter((_, index) => lines[index] !== undefined);
  return { copyText: kept.length ? `${kept.join('\n')}\n` : '', keys: keptKeys, malformedValues, rejectedRows };
}
