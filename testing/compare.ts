import type { Knex } from 'knex';
import { SYSTEM_COLUMNS, type ColumnType, type DatasetDefinition } from '../core/datasets/index.js';
import { mapSodaRow, type SodaRow } from '../ingest/soda-values.js';

/**
 * Equality of a synced table with the portal (tests and benchmarks): each source row mapped with
 * `mapSodaRow`, against the table's rows, both brought to one comparable form per column type.
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
    for (const row of rows) {
      const { values } = mapSodaRow(dataset, row, sourceId);
      const result: Comparable = {};
      for (const [name, type] of typesOf(dataset)) result[name] = comparable(type, values[name]);
      if (dataset.primaryKey.some((column) => result[column] === null)) continue;
      const at = Date.parse(String(row[':updated_at']));
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
