import type { ColumnDefinition, ColumnType, DatasetDefinition } from '../core/datasets/index.js';
import { SYSTEM_COLUMNS } from '../core/datasets/index.js';

/** A SODA row as the portal sends it: numbers as strings, nulls omitted. */
export type SodaRow = Readonly<Record<string, unknown>>;

export type DbValue = string | number | boolean | null;

export interface MappedRow {
  readonly values: Record<string, DbValue>;
  /** One message per value that could not be converted; that value is stored as NULL. */
  readonly problems: string[];
  /** Text columns whose value held NUL characters, stored without them (PostgreSQL text cannot hold U+0000). */
  readonly strippedNul: string[];
}

const INTEGER = /^-?\d+$/;
/** A whole number written as a decimal (`391.0`), as exports that went through a float write them. */
const WHOLE_DECIMAL = /^(-?\d+)\.0*$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const FLOATING = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/;
const FIXED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})$/;

class BadValue extends Error {}

/** Converts one SODA row to table values; a malformed value becomes NULL plus a problem. */
export function mapSodaRow(dataset: DatasetDefinition, row: SodaRow, sourceId: string): MappedRow {
  const values: Record<string, DbValue> = {};
  const problems: string[] = [];
  const strippedNul: string[] = [];
  for (const column of dataset.columns) {
    let raw = row[column.source ?? column.name];
    if (column.type === 'text' && typeof raw === 'string' && raw.includes('\u0000')) {
      raw = raw.replaceAll('\u0000', '');
      strippedNul.push(column.name);
    }
    try {
      values[column.name] = convert(column.type, raw);
    } catch (error) {
      values[column.name] = null;
      problems.push(`${column.name}: ${(error as Error).message}`);
    }
  }
  if (dataset.point) fillFromPoint(dataset, row, values);
  values[SYSTEM_COLUMNS.sourceId] = sourceId;
  values[SYSTEM_COLUMNS.rowId] = typeof row[':id'] === 'string' ? (row[':id'] as string) : null;
  values[SYSTEM_COLUMNS.updatedAt] = typeof row[':updated_at'] === 'string' ? (row[':updated_at'] as string) : null;
  return { values, problems, strippedNul };
}

export function convert(type: ColumnType, raw: unknown): DbValue {
  if (raw === undefined || raw === null) return null;
  switch (type) {
    case 'text':
      return typeof raw === 'string' ? raw : JSON.stringify(raw);
    case 'integer':
    case 'bigint': {
      let text = String(raw).trim();
      const whole = WHOLE_DECIMAL.exec(text);
      if (whole) text = whole[1]!;
      if (!INTEGER.test(text)) throw new BadValue(`expected an integer, got ${quote(raw)}`);
      const value = Number(text);
      if (!Number.isSafeInteger(value)) throw new BadValue(`integer out of range: ${quote(raw)}`);
      if (type === 'integer' && Math.abs(value) > 2_147_483_647) throw new BadValue(`integer out of range: ${quote(raw)}`);
      return value;
    }
    case 'numeric':
    case 'double': {
      const text = String(raw).trim();
      if (!DECIMAL.test(text)) throw new BadValue(`expected a number, got ${quote(raw)}`);
      return type === 'double' ? Number(text) : text;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw new BadValue(`expected a boolean, got ${quote(raw)}`);
    case 'timestamp': {
      const match = typeof raw === 'string' ? FLOATING.exec(raw) : null;
      if (!match || !isRealDate(match)) throw new BadValue(`expected a floating timestamp, got ${quote(raw)}`);
      return raw as string;
    }
    case 'timestamptz':
      if (typeof raw !== 'string' || !FIXED.test(raw) || Number.isNaN(Date.parse(raw))) {
        throw new BadValue(`expected a timestamp with zone, got ${quote(raw)}`);
      }
      return raw;
    case 'date': {
      const match = typeof raw === 'string' ? FLOATING.exec(raw.length === 10 ? `${raw}T00:00:00` : raw) : null;
      if (!match || !isRealDate(match)) throw new BadValue(`expected a date, got ${quote(raw)}`);
      return (raw as string).slice(0, 10);
    }
    case 'geometry':
      if (typeof raw !== 'object') throw new BadValue(`expected GeoJSON, got ${quote(raw)}`);
      return JSON.stringify(raw);
  }
}

/** Calendar check without allocating a Date: this runs for every timestamp of every synced row. */
function isRealDate(match: RegExpExecArray): boolean {
  const year = +match[1]!;
  const month = +match[2]!;
  const day = +match[3]!;
  if (month < 1 || month > 12 || day < 1 || +match[4]! > 23 || +match[5]! > 59 || +match[6]! > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** Fills latitude/longitude from the point field when the row has no separate columns for them. */
function fillFromPoint(dataset: DatasetDefinition, row: SodaRow, values: Record<string, DbValue>): void {
  const point = dataset.point!;
  if (values[point.latitude] !== null && values[point.longitude] !== null) return;
  const coordinates = pointCoordinates(row[point.source]);
  if (!coordinates) return;
  values[point.latitude] = coordinates.latitude;
  values[point.longitude] = coordinates.longitude;
}

/** Reads both point shapes the portal serves: GeoJSON and the legacy `{latitude, longitude}`. */
export function pointCoordinates(raw: unknown): { latitude: number; longitude: number } | null {
  if (!raw || typeof raw !== 'object') return null;
  const value = raw as { coordinates?: unknown; latitude?: unknown; longitude?: unknown };
  let longitude: number;
  let latitude: number;
  if (Array.isArray(value.coordinates)) {
    [longitude, latitude] = value.coordinates.map(Number) as [number, number];
  } else {
    latitude = Number(value.latitude);
    longitude = Number(value.longitude);
  }
  return Number.isFinite(latitude) && Number.isFinite(longitude) ? { latitude, longitude } : null;
}

export function columnNames(dataset: DatasetDefinition): string[] {
  return [...dataset.columns.map((column: ColumnDefinition) => column.name), ...Object.values(SYSTEM_COLUMNS)];
}

function quote(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
