import { GEO_COLUMNS, SYSTEM_COLUMNS, type ColumnDefinition, type DatasetDefinition } from '../../core/datasets/index.js';
import { convert, pointCoordinates, type DbValue, type SodaRow } from '../soda-values.js';
import { copyValue } from './copy-text.js';

/** The geo lookup a compiled encoder calls (RowEnricher.geoValues): both areas of one point. */
export interface GeoLookup {
  geoValues(longitude: unknown, latitude: unknown): { readonly zip: string | null; readonly communityArea: number | null };
}

/** What encoding one row found besides its COPY line; reused from row to row (no allocation per row). */
export interface RowFindings {
  /** The primary key's values, in `primaryKey` order; a null means the row cannot be stored. */
  readonly keyValues: DbValue[];
  /** One message per value that could not be converted (stored as NULL), as mapSodaRow words them. */
  readonly problems: string[];
  /** Text columns whose value held NUL characters (stored without them). */
  readonly strippedNul: string[];
  /** The row carries a geometry (boundary datasets). */
  hasGeometry: boolean;
}

/**
 * One SODA row to one line of COPY text, in `columns` order (without the newline). `clean` says no string in the page
 * can hold a backslash, tab, newline, carriage return or NUL (its JSON text has no backslash,
 * and JSON cannot hold those characters unescaped), so text values need no escaping check.
 */
export type RowEncoder = (row: SodaRow, findings: RowFindings, clean: boolean, geo: GeoLookup | undefined) => string;

export function newFindings(dataset: DatasetDefinition): RowFindings {
  return { keyValues: new Array<DbValue>(dataset.primaryKey.length).fill(null), problems: [], strippedNul: [], hasGeometry: false };
}

const compiled = new Map<string, RowEncoder | null>();

/**
 * The row encoder of a dataset and column list, compiled once from the dataset definition: it
 * reads each portal field by name and writes its COPY text directly, without the intermediate
 * values record, regexes or Date objects of the general path (mapSodaRow + copyValue).
 *
 * Every value is kept exactly as that general path keeps it. The fast checks below accept only
 * values for which the portal's text is already what the general path would write (a canonical
 * integer, a plain decimal, a valid floating timestamp, text without characters to escape); any
 * other value (whitespace, `391.0`, a malformed value, NUL, a number sent as JSON number, a
 * geometry) goes through the general path itself (`convert`, `copyValue`), warnings included.
 *
 * `null` when the definition is one the compiler does not handle (a point whose coordinate
 * columns are not declared): the caller then uses the general path for every row.
 */
export function rowEncoderFor(dataset: DatasetDefinition, columns: readonly string[], sourceId: string, withGeo: boolean): RowEncoder | null {
  const cacheKey = `${dataset.key}\u0000${sourceId}\u0000${columns.join('\u0001')}\u0000${withGeo ? 1 : 0}`;
  let encoder = compiled.get(cacheKey);
  if (encoder === undefined) {
    encoder = compile(dataset, columns, sourceId, withGeo);
    compiled.set(cacheKey, encoder);
  }
  return encoder;
}

/** A value only the general path handles: converted (or NULL plus a problem), NUL stripped from text. */
function general(column: ColumnDefinition, raw: unknown, findings: RowFindings): DbValue {
  let value = raw;
  if (column.type === 'text' && typeof value === 'string' && value.includes('\u0000')) {
    value = value.replaceAll('\u0000', '');
    findings.strippedNul.push(column.name);
  }
  try {
    return convert(column.type, value);
  } catch (error) {
    findings.problems.push(`${column.name}: ${(error as Error).message}`);
    return null;
  }
}

/** A character COPY text escapes, or NUL (stripped from text). */
const SPECIAL = /[\\\n\r\t\u0000]/;

/**
 * `^-?\d+$` with no leading zero (so `Number` then `String` gives the same text back: not `007`,
 * not `-0`) and at most `maxDigits` digits (within the column type's range).
 */
export function isCanonicalInteger(text: string, maxDigits: number): boolean {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  const digits = text.length - start;
  if (digits < 1 || digits > maxDigits) return false;
  const first = text.charCodeAt(start) - 48;
  if (first === 0) return digits === 1 && start === 0;
  if (first < 1 || first > 9) return false;
  for (let at = start + 1; at < text.length; at += 1) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return false;
  }
  return true;
}

/** `^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`, the general path's DECIMAL, on text without surrounding whitespace. */
export function isDecimal(text: string): boolean {
  const length = text.length;
  let at = text.charCodeAt(0) === 45 ? 1 : 0;
  let whole = 0;
  while (at < length && isDigit(text.charCodeAt(at))) {
    at += 1;
    whole += 1;
  }
  let fraction = 0;
  if (at < length && text.charCodeAt(at) === 46) {
    at += 1;
    while (at < length && isDigit(text.charCodeAt(at))) {
      at += 1;
      fraction += 1;
    }
  }
  if (whole === 0 && fraction === 0) return false;
  if (at === length) return true;
  const e = text.charCodeAt(at);
  if (e !== 101 && e !== 69) return false;
  at += 1;
  const sign = text.charCodeAt(at);
  if (sign === 43 || sign === 45) at += 1;
  if (at >= length) return false;
  while (at < length) {
    if (!isDigit(text.charCodeAt(at))) return false;
    at += 1;
  }
  return true;
}

/**
 * The general path's floating timestamp, `^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$`,
 * and a real calendar date with hours to 23, minutes and seconds to 59.
 */
export function isFloatingTimestamp(text: string): boolean {
  const length = text.length;
  if (length !== 19 && (length < 21 || length > 26)) return false;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (length > 19) {
    if (text.charCodeAt(19) !== 46) return false;
    for (let at = 20; at < length; at += 1) if (!isDigit(text.charCodeAt(at))) return false;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The number written by `count` ASCII digits at `from`, or -1 if one is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let at = from; at < from + count; at += 1) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** A `numeric` column arrives as decimal text; the enricher takes it as a number (as RowEnricher.enrich does). */
function coordinate(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
}

/**
 * Generates the encoder's source: one block per column, in definition order (as mapSodaRow),
 * then the point fill, the geo lookup and the line in `columns` order. Field names go into the
 * source through JSON.stringify only; they come from the dataset definitions in this repository.
 */
function compile(dataset: DatasetDefinition, columns: readonly string[], sourceId: string, withGeo: boolean): RowEncoder | null {
  const indexOf = new Map(dataset.columns.map((column, index) => [column.name, index]));
  const point = dataset.point;
  if (point && (!indexOf.has(point.latitude) || !indexOf.has(point.longitude))) return null;
  const valueNeeded = new Set<number>(dataset.primaryKey.map((name) => indexOf.get(name)!));
  if (dataset.primaryKey.some((name) => !indexOf.has(name))) return null;
  if (point) {
    valueNeeded.add(indexOf.get(point.latitude)!);
    valueNeeded.add(indexOf.get(point.longitude)!);
  }
  const lines: string[] = ['"use strict";', 'return function encodeRow(row, findings, clean, geo) {', 'let raw;'];
  dataset.columns.forEach((column, index) => {
    const c = `c${index}`;
    const v = `v${index}`;
    const keep = valueNeeded.has(index) || column.name === dataset.geometryColumn;
    lines.push(`let ${c}, ${v} = null;`, `raw = row[${JSON.stringify(column.source ?? column.name)}];`);
    const general = `{ ${v} = general(columns[${index}], raw, findings); ${c} = copyValue(${v}); }`;
    lines.push(`if (raw === undefined || raw === null) ${c} = '\\\\N';`);
    switch (column.type) {
      case 'text':
        lines.push(`else if (typeof raw === 'string' && (clean || !SPECIAL.test(raw))) { ${c} = raw;${keep ? ` ${v} = raw;` : ''} }`);
        break;
      case 'integer':
      case 'bigint':
        lines.push(`else if (typeof raw === 'string' && isCanonicalInteger(raw, ${column.type === 'integer' ? 9 : 15})) { ${c} = raw;${keep ? ` ${v} = +raw;` : ''} }`);
        break;
      case 'numeric':
        lines.push(`else if (typeof raw === 'string' && isDecimal(raw)) { ${c} = raw;${keep ? ` ${v} = raw;` : ''} }`);
        break;
      case 'double':
        lines.push(`else if (typeof raw === 'string' && isDecimal(raw)) { ${v} = +raw; ${c} = '' + ${v}; }`);
        break;
      case 'boolean':
        lines.push(`else if (raw === true || raw === 'true') { ${c} = 't';${keep ? ` ${v} = true;` : ''} }`);
        lines.push(`else if (raw === false || raw === 'false') { ${c} = 'f';${keep ? ` ${v} = false;` : ''} }`);
        break;
      case 'timestamp':
        lines.push(`else if (typeof raw === 'string' && isFloatingTimestamp(raw)) { ${c} = raw;${keep ? ` ${v} = raw;` : ''} }`);
        break;
      default:
        break;
    }
    lines.push(`else ${general}`);
    if (column.name === dataset.geometryColumn) lines.push(`findings.hasGeometry = ${v} !== null;`);
  });
  if (point) {
    const lat = indexOf.get(point.latitude)!;
    const lon = indexOf.get(point.longitude)!;
    lines.push(
      `if (v${lat} === null || v${lon} === null) {`,
      `  const p = pointCoordinates(row[${JSON.stringify(point.source)}]);`,
      `  if (p) { v${lat} = p.latitude; v${lon} = p.longitude; c${lat} = '' + v${lat}; c${lon} = '' + v${lon}; }`,
      `}`,
    );
    if (withGeo) {
      lines.push(`const g = geo.geoValues(coordinate(v${lon}), coordinate(v${lat}));`, `const geoZip = copyValue(g.zip), geoArea = copyValue(g.communityArea);`);
    }
  }
  dataset.primaryKey.forEach((name, position) => lines.push(`findings.keyValues[${position}] = v${indexOf.get(name)!};`));
  lines.push(
    `raw = row[':id'];`,
    `const rowId = typeof raw === 'string' ? (clean ? raw : copyValue(raw)) : '\\\\N';`,
    `raw = row[':updated_at'];`,
    `const updatedAt = typeof raw === 'string' ? (clean ? raw : copyValue(raw)) : '\\\\N';`,
  );
  const cells = columns.map((name) => {
    const index = indexOf.get(name);
    if (index !== undefined) return `c${index}`;
    if (name === SYSTEM_COLUMNS.sourceId) return 'sourceId';
    if (name === SYSTEM_COLUMNS.rowId) return 'rowId';
    if (name === SYSTEM_COLUMNS.updatedAt) return 'updatedAt';
    if (point && withGeo && name === GEO_COLUMNS.zip) return 'geoZip';
    if (point && withGeo && name === GEO_COLUMNS.communityArea) return 'geoArea';
    return `'\\\\N'`;
  });
  lines.push(`return ${cells.join(` + '\\t' + `)};`, '};');
  const helpers = { columns: dataset.columns, general, copyValue, SPECIAL, isCanonicalInteger, isDecimal, isFloatingTimestamp, pointCoordinates, coordinate };
  // The source id is one constant cell per encoder (a dataset with several portal ids, as taxi
  // trips have, gets one encoder per id).
  const factory = new Function(...Object.keys(helpers), 'sourceId', lines.join('\n')) as (...args: unknown[]) => RowEncoder;
  return factory(...Object.values(helpers), copyValue(sourceId));
}
