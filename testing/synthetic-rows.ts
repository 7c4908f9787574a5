import type { ColumnType, DatasetDefinition } from '../core/datasets/index.js';
import { seededRandom } from './soda-server.js';
import type { Row, SodaType } from './soql.js';

/** The SODA type the portal reports for a column of each storage type. */
const SODA_TYPES: Record<ColumnType, SodaType> = {
  text: 'text',
  integer: 'number',
  bigint: 'number',
  numeric: 'number',
  double: 'number',
  boolean: 'checkbox',
  timestamp: 'floating_timestamp',
  timestamptz: 'fixed_timestamp',
  date: 'floating_timestamp',
  geometry: 'multipolygon',
};

/** The columns (SODA field names and types) a dataset's portal resource has. */
export function sodaTypesOf(dataset: DatasetDefinition): Record<string, SodaType> {
  const types: Record<string, SodaType> = {};
  for (const column of dataset.columns) types[column.source ?? column.name] = SODA_TYPES[column.type];
  if (dataset.point) types[dataset.point.source] = 'point';
  return types;
}

/** Text that exercises quoting and COPY escaping: quotes, backslashes, tabs, newlines, non-ASCII. */
const AWKWARD_TEXT = ["O'HARE INTL", 'BACK\\SLASH', 'TAB\tSEPARATED', 'TWO\nLINES', 'CAFÉ ÜBER', '  padded  ', '"quoted"', '\\N'];

export interface SyntheticOptions {
  readonly count: number;
  readonly seed?: number;
  /** Added to generated keys, so several portal ids of one dataset never collide. */
  readonly keyOffset?: number;
}

/**
 * Deterministic rows shaped like the portal's for a dataset without a real sample: every value a
 * string, nulls omitted, points as GeoJSON, system fields present, `:updated_at` shared by runs
 * of rows (as one portal load writes many rows with one stamp).
 */
export function syntheticRows(dataset: DatasetDefinition, options: SyntheticOptions): Row[] {
  const random = seededRandom(options.seed ?? 7);
  const offset = options.keyOffset ?? 0;
  const base = Date.parse('2024-01-01T00:00:00.000Z');
  const rows: Row[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const latitude = 41.65 + random() * 0.35;
    const longitude = -87.9 + random() * 0.38;
    const stamp = new Date(base + Math.floor(index / 5) * 60_000 + (offset % 1000)).toISOString();
    const row: Row = { ':id': `row-syn${(offset + index).toString(36).padStart(7, '0')}`, ':created_at': stamp, ':updated_at': stamp };
    for (const column of dataset.columns) {
      const field = column.source ?? column.name;
      const isKey = dataset.primaryKey.includes(column.name);
      if (isKey) {
        row[field] = keyValue(column.type, offset + index);
        continue;
      }
      if (random() < 0.1) continue; // the portal omits nulls
      const name = column.name.toLowerCase();
      if (column.type === 'double' && name.includes('lat')) row[field] = latitude.toFixed(9);
      else if (column.type === 'double' && (name.includes('lon') || name.includes('lng'))) row[field] = longitude.toFixed(9);
      else row[field] = randomValue(column.type, random, latitude, longitude);
    }
    if (dataset.point && random() > 0.05) row[dataset.point.source] = { type: 'Point', coordinates: [longitude, latitude] };
    rows.push(row);
  }
  return rows;
}

function keyValue(type: ColumnType, index: number): unknown {
  switch (type) {
    case 'integer':
    case 'bigint':
    case 'numeric':
    case 'double':
      return String(100_000 + index);
    case 'timestamp':
    case 'date':
      return new Date(Date.UTC(2000, 0, 1) + index * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00.000';
    case 'timestamptz':
      return new Date(Date.UTC(2000, 0, 1) + index * 1000).toISOString();
    default:
      return `K-${index.toString().padStart(8, '0')}`;
  }
}

function randomValue(type: ColumnType, random: () => number, latitude: number, longitude: number): unknown {
  switch (type) {
    case 'text':
      return random() < 0.15 ? AWKWARD_TEXT[Math.floor(random() * AWKWARD_TEXT.length)] : `VALUE ${Math.floor(random() * 50)}`;
    case 'integer':
      return String(Math.floor(random() * 100_000));
    case 'bigint':
      return String(Math.floor(random() * 1e12));
    case 'numeric':
      return (random() * 1e5).toFixed(2);
    case 'double':
      return String(random() * 1000);
    case 'boolean':
      return random() < 0.5;
    case 'timestamp':
      return floatingTimestamp(random);
    case 'date':
      return `${floatingTimestamp(random).slice(0, 10)}T00:00:00.000`;
    case 'timestamptz':
      return new Date(Date.UTC(2015, 0, 1) + Math.floor(random() * 3e11)).toISOString();
    case 'geometry': {
      const [x, y, d] = [longitude, latitude, 0.01];
      return { type: 'MultiPolygon', coordinates: [[[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]] };
    }
  }
}

function floatingTimestamp(random: () => number): string {
  return new Date(Date.UTC(2015, 0, 1) + Math.floor(random() * 3e8) * 1000).toISOString().slice(0, 19) + '.000';
}
