import type { DatasetDefinition } from '../../core/datasets/index.js';
import { mapSodaRow, type DbValue, type SodaRow } from '../soda-values.js';
import { copyValue } from './copy-text.js';
import { newFindings, rowEncoderFor, type GeoLookup } from './row-encoder.js';
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

/** How a page's text was received. */
export interface EncodeOptions {
  /**
   * The page's JSON text holds no backslash, so no string in it holds a character COPY text
   * escapes (or NUL): JSON cannot carry those unescaped. Saves a check per text value.
   */
  readonly clean?: boolean;
}

/**
 * Turns a page of SODA rows into COPY text. A malformed value is logged with the row's key and
 * stored as NULL; the row is kept. A row whose key itself is unusable cannot be stored: it is
 * logged with its portal `:id` and set aside (`refused`). Two versions of one key within the page
 * keep the last, which in `:updated_at` order is the newest; when the two are different portal
 * rows (different `:id`), that is a key collision, reported to the caller.
 *
 * Each row goes straight from the parsed portal object to its COPY line through the dataset's
 * compiled row encoder (row-encoder.ts), so what outlives the call is one flat string per page
 * rather than thousands of row objects: the sync holds two pages across database writes, and row
 * objects kept that long are what made the garbage collector the ingest's biggest cost. An
 * enricher that cannot answer a point lookup directly (no `geoValues`) gets each row as a values
 * record instead (mapSodaRow, then copyValue per value), the general path the encoder matches.
 */
export function encodePage(
  dataset: DatasetDefinition,
  columns: readonly string[],
  sourceId: string,
  page: readonly SodaRow[],
  log: PageLog,
  enricher?: RowEnricher,
  options: EncodeOptions = {},
): EncodedPage {
  const geo = dataset.point && enricher ? geoLookupOf(enricher) : undefined;
  const encoder = dataset.point && enricher && !geo ? null : rowEncoderFor(dataset, columns, sourceId, geo !== undefined);
  const findings = newFindings(dataset);
  const clean = options.clean === true;
  /** Each kept row's COPY line; a later version of its key blanks it. */
  const lines: (string | undefined)[] = [];
  const keys: (DbValue | undefined)[] = [];
  const lineOfKey = new Map<string, number>();
  const rowIdOfLine: string[] = [];
  const cells: string[] = new Array<string>(columns.length);
  const refused: RefusedRow[] = [];
  const strippedNul = new Set<string>();
  const collisions: KeyCollision[] = [];
  let malformedValues = 0;
  let polygons = 0;
  let dropped = 0;
  for (const row of page) {
    let line: string;
    let keyParts: readonly DbValue[];
    let problems: readonly string[];
    let stripped: readonly string[];
    let hasGeometry: boolean;
    if (encoder) {
      findings.problems.length = 0;
      findings.strippedNul.length = 0;
      findings.hasGeometry = false;
      line = encoder(row, findings, clean, geo);
      ({ keyValues: keyParts, problems, strippedNul: stripped, hasGeometry } = findings);
    } else {
      const mapped = mapSodaRow(dataset, row, sourceId);
      const { values } = mapped;
      ({ problems, strippedNul: stripped } = mapped);
      keyParts = dataset.primaryKey.map((column) => values[column]!);
      if (!keyParts.includes(null) && dataset.point && enricher) enricher.enrich(dataset, values);
      hasGeometry = dataset.geometryColumn !== undefined && values[dataset.geometryColumn] !== null;
      for (let index = 0; index < columns.length; index += 1) cells[index] = copyValue(values[columns[index]!]);
      line = cells.join('\t');
    }
    const key = keyParts.length === 1 ? String(keyParts[0]) : keyParts.map(String).join('\u001f');
    const rowId = typeof row[':id'] === 'string' ? row[':id'] : '';
    for (const column of stripped) strippedNul.add(column);
    if (problems.length) {
      malformedValues += problems.length;
      for (const problem of problems) {
        log.warn({ dataset: dataset.key, source: sourceId, key, row_id: rowId }, `malformed value stored as NULL: ${problem}`);
      }
    }
    if (keyParts.includes(null)) {
      const reason = `no usable primary key (${dataset.primaryKey.join(', ')})`;
      log.error({ dataset: dataset.key, source: sourceId, row_id: rowId }, `row set aside in the rejects table: ${reason}`);
      refused.push({ rowId, raw: JSON.stringify(row), reason });
      continue;
    }
    if (hasGeometry) polygons += 1;
    const earlier = lineOfKey.get(key);
    if (earlier !== undefined) {
      lines[earlier] = undefined;
      keys[earlier] = undefined;
      dropped += 1;
      if (rowIdOfLine[earlier] !== rowId) collisions.push({ key, rowIds: [rowIdOfLine[earlier]!, rowId] });
    }
    lineOfKey.set(key, lines.length);
    lines.push(line);
    rowIdOfLine.push(rowId);
    keys.push(keyParts[0] ?? null);
  }
  const kept = dropped ? lines.filter((line): line is string => line !== undefined) : (lines as string[]);
  const keptKeys = dropped ? keys.filter((key): key is DbValue => key !== undefined) : (keys as DbValue[]);
  return { copyText: kept.length ? `${kept.join('\n')}\n` : '', keys: keptKeys, malformedValues, refused, strippedNul, collisions, polygons };
}

/** The enricher's direct point lookup, if it has one (Lakefront's RowEnricher does). */
function geoLookupOf(enricher: RowEnricher): GeoLookup | undefined {
  return typeof enricher.geoValues === 'function' ? (enricher as GeoLookup) : undefined;
}
