import type { DatasetDefinition } from '../../core/datasets/index.js';
import { mapSodaRow, type DbValue, type SodaRow } from '../soda-values.js';
import { copyValue } from './copy-text.js';
import type { RowEnricher } from './hooks.js';

/** Where encoding says what it met: the sync's logger, or (in the decoding thread) a list sent back to it. */
export interface PageLog {
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

/** A portal row Lakefront could not store, kept with the reason (see `lakefront.sync_rejects`). */
export interface RefusedRow {
  readonly rowId: string;
  /** The row as the portal sent it, as JSON. */
  readonly raw: string;
  readonly reason: string;
}

/** Two different portal rows (different `:id`) that carry the same key. */
export interface KeyCollision {
  readonly key: string;
  readonly rowIds: readonly [string, string];
}

/** A page of SODA rows, ready for COPY. */
export interface EncodedPage {
  /** PostgreSQL COPY text of the kept rows, one line each, in the write plan's column order. */
  readonly copyText: string;
  /** The first primary-key column of each kept row, for the all-new-keys check. */
  readonly keys: readonly DbValue[];
  readonly malformedValues: number;
  /** Rows that cannot be stored at all (no usable key): they go to the rejects table. */
  readonly refused: readonly RefusedRow[];
  /** Text columns that held NUL characters in this page (stripped; warned once per sync). */
  readonly strippedNul: ReadonlySet<string>;
  /** Keys shared by two different portal rows within this page (the later row is kept). */
  readonly collisions: readonly KeyCollision[];
  /** Rows carrying a usable geometry (boundary datasets). */
  readonly polygons: number;
}

/**
 * Turns a page of SODA rows into COPY text. A malformed value is logged with the row's key and
 * stored as NULL; the row is kept. A row whose key itself is unusable cannot be stored: it is
 * logged with its portal `:id` and set aside (`refused`). Two versions of one key within the page
 * keep the last, which in `:updated_at` order is the newest; when the two are different portal
 * rows (different `:id`), that is a key collision, reported to the caller.
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
  log: PageLog,
  enricher?: RowEnricher,
): EncodedPage {
  const lines: (string | undefined)[] = [];
  const keys: DbValue[] = [];
  const lineOfKey = new Map<string, { line: number; rowId: string }>();
  const cells: string[] = new Array<string>(columns.length);
  const [firstKey] = dataset.primaryKey;
  const refused: RefusedRow[] = [];
  const strippedNul = new Set<string>();
  const collisions: KeyCollision[] = [];
  let malformedValues = 0;
  let polygons = 0;
  for (const row of page) {
    const { values, problems, strippedNul: stripped } = mapSodaRow(dataset, row, sourceId);
    const keyParts = dataset.primaryKey.map((column) => values[column]);
    const key = keyParts.length === 1 ? String(keyParts[0]) : keyParts.map(String).join('\u001f');
    const rowId = typeof row[':id'] === 'string' ? row[':id'] : '';
    for (const column of stripped) strippedNul.add(column);
    if (problems.length) {
      malformedValues += problems.length;
      for (const problem of problems) {
        log.warn({ dataset: dataset.key, source: sourceId, key, row_id: rowId }, `malformed value stored as NULL: ${problem}`);
      }
    }
    if (keyParts.some((part) => part === null)) {
      const reason = `no usable primary key (${dataset.primaryKey.join(', ')})`;
      log.error({ dataset: dataset.key, source: sourceId, row_id: rowId }, `row set aside in the rejects table: ${reason}`);
      refused.push({ rowId, raw: JSON.stringify(row), reason });
      continue;
    }
    if (dataset.point && enricher) enricher.enrich(dataset, values);
    if (dataset.geometryColumn && values[dataset.geometryColumn] !== null) polygons += 1;
    const earlier = lineOfKey.get(key);
    if (earlier !== undefined) {
      lines[earlier.line] = undefined;
      if (earlier.rowId !== rowId) collisions.push({ key, rowIds: [earlier.rowId, rowId] });
    }
    lineOfKey.set(key, { line: lines.length, rowId });
    for (let index = 0; index < columns.length; index += 1) cells[index] = copyValue(values[columns[index]!]);
    lines.push(cells.join('\t'));
    keys.push(values[firstKey!] ?? null);
  }
  const kept = lineOfKey.size === lines.length ? (lines as string[]) : lines.filter((line): line is string => line !== undefined);
  const keptKeys = lineOfKey.size === lines.length ? keys : keys.filter((_, index) => lines[index] !== undefined);
  return { copyText: kept.length ? `${kept.join('\n')}\n` : '', keys: keptKeys, malformedValues, refused, strippedNul, collisions, polygons };
}
