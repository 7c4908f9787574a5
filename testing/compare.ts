import type { Knex } from 'knex';
import { SYSTEM_COLUMNS, type ColumnType, type DatasetDefinition } from '../core/datasets/index.js';
import type { SodaRow } from '../ingest/soda-values.js';

/**
 * Equality of a synced table with the portal (tests and benchmarks): each source row's raw values,
 * against the table's rows, both brought to one comparable form per column type. The expected
 * side never goes through the sync's own mapping (`mapSodaRow`): it reads the portal's text the
 * plainest way (a number is `Number(text)`, a timestamp its text without the zero fraction), so a
 * mapping bug shows up as a difference instead of being copied into the expectation.
 */
export type Comparable = Record<string, unknown>;

function typesOf(dataset: DatasetDefinition): [string, ColumnType][] {
  return [
    ...dataset.columns.map((column): [string, ColumnType] => [column.name, column.type]),
    [SYSTEM_COLUMNS.sourceId, 'text'],
    [SYSTEM_COLUMNS.rowId, 'text'],
    [SYSTEM_COLUMNS.updatedAt, 'timestamptz'],
  ];
}

export function comparable(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'bigint':
    case 'numeric':
    case 'double':
      return Number(value);
    case 'timestamp': {
      // `2014-03-15T00:00:00.000` (portal) and `2014-03-15T00:00:00` (database) are one time.
      const [whole, fraction = ''] = String(value).split('.');
      const trimmed = fraction.replace(/0+$/, '');
      return trimmed ? `${whole}.${trimmed}` : whole;
    }
    case 'timestamptz':
      return new Date(String(value)).toISOString();
    case 'date':
      return String(value).slice(0, 10);
    case 'geometry':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return value;
  }
}

function keyOf(dataset: DatasetDefinition, row: Comparable): string {
  return dataset.primaryKey.map((column) => String(row[column])).join('|');
}

function sortByKey(dataset: DatasetDefinition, rows: Comparable[]): Comparable[] {
  return rows.sort((a, b) => (keyOf(dataset, a) < keyOf(dataset, b) ? -1 : keyOf(dataset, a) > keyOf(dataset, b) ? 1 : 0));
}

/** What the table should hold for these portal rows (the newest version of each key wins). */
export function expectedRows(dataset: DatasetDefinition, sources: readonly { sourceId: string; rows: readonly SodaRow[] }[]): Comparable[] {
  const byKey = new Map<string, { at: number; row: Comparable }>();
  for (const { sourceId, rows } of sources) {
    for (const raw of rows) {
      const result: Comparable = {};
      for (const column of dataset.columns) result[column.name] = comparable(column.type, raw[column.source ?? column.name]);
      const point = dataset.point && (raw[dataset.point.source] as { coordinates?: [number, number] } | undefined)?.coordinates;
      if (dataset.point && point && (result[dataset.point.latitude] === null || result[dataset.point.longitude] === null)) {
        result[dataset.point.longitude] = point[0];
        result[dataset.point.latitude] = point[1];
      }
      result[SYSTEM_COLUMNS.sourceId] = sourceId;
      result[SYSTEM_COLUMNS.rowId] = raw[':id'];
      result[SYSTEM_COLUMNS.updatedAt] = comparable('timestamptz', raw[':updated_at']);
      if (dataset.primaryKey.some((column) => result[column] === null)) continue;
      const at = Date.parse(String(raw[':updated_at']));
      const key = keyOf(dataset, result);
      const previous = byKey.get(key);
      if (!previous || previous.at <= at) byKey.set(key, { at, row: result });
    }
  }
  return sortByKey(dataset, [...byKey.values()].map((entry) => entry.row));
}

export async function actualRows(knex: Knex, dataset: DatasetDefinition): Promise<Comparable[]> {
  const types = typesOf(dataset);
  const rows = (await knex(`data.${dataset.table}`).select(types.map(([name]) => name))) as Comparable[];
  return sortByKey(
    dataset,
    rows.map((row) => Object.fromEntries(types.map(([name, type]) => [name, comparable(type, row[name])]))),
  );
}

/** Rows in the order the portal pages them (`:updated_at`, then `:id`). */
export function inPortalOrder<T extends Record<string, unknown>>(rows: readonly T[]): T[] {
  const key = (row: T) => `${String(row[':updated_at'])}\u0000${String(row[':id'])}`;
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
