import { hash } from 'node:crypto';
import type { Knex } from 'knex';
import { runShapedSelect } from '../../../core/db/run-select.js';
import { ident } from '../../../core/db/sql-ident.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { parseTimeRange } from '../local-time.js';
import { HttpProblem } from '../problems.js';
import { SQL_TYPES, type FieldInfo, type ListSurface, type OrderInfo } from '../../../core/datasets/list-surface.js';

/** A list request after validation: everything that decides which rows, in which order. */
export interface ListRequest {
  /** Columns the client asked for (all by default), in the dataset's column order. */
  readonly fields: readonly string[];
  readonly order: OrderInfo;
  readonly range: { from?: string; to?: string };
  readonly equals: readonly { column: string; values: readonly unknown[] }[];
  readonly bbox?: readonly [number, number, number, number];
}

/**
 * Reads the typed query (already checked against the spec: names, types, enums) into a
 * ListRequest. Only what the spec cannot express is checked here: real dates, a non-empty
 * range, a sane bbox. Every column name used later comes from the surface, never from the URL.
 */
export function readListRequest(surface: ListSurface, query: Record<string, unknown>): ListRequest {
  const orderValue = (query.order as string | undefined) ?? surface.orders[0]!.value;
  const order = surface.orders.find((item) => item.value === orderValue);
  if (!order) throw HttpProblem.badParameter('order', `must be one of ${surface.orders.map((item) => item.value).join(', ')}`);
  const requested = query.fields as string[] | undefined;
  // The key is always served, so every row can be told apart (and the SDK types it as required).
  const key = surface.dataset.primaryKey;
  const fields = surface.fields.filter((field) => !requested?.length || requested.includes(field.name) || key.includes(field.name)).map((field) => field.name);
  if (requested?.some((name) => !fields.includes(name))) throw HttpProblem.badParameter('fields', 'names a column this dataset does not have');
  const range = surface.timeColumn ? parseTimeRange(query.from as string | undefined, query.to as string | undefined) : {};
  const equals = surface.filters
    .map((filter) => ({ column: filter.column, values: (query[filter.parameter] as unknown[] | undefined) ?? [] }))
    .filter((item) => item.values.length > 0);
  const bbox = readBbox(query.bbox as number[] | undefined);
  return { fields, order, range, equals, ...(bbox ? { bbox } : {}) };
}

function readBbox(bbox: number[] | undefined): [number, number, number, number] | undefined {
  if (!bbox) return undefined;
  const [minLon, minLat, maxLon, maxLat] = bbox as [number, number, number, number];
  if (!(minLon < maxLon && minLat < maxLat)) throw HttpProblem.badParameter('bbox', 'must be minLon,minLat,maxLon,maxLat with min < max');
  return [minLon, minLat, maxLon, maxLat];
}

/** The filtered rows (no order, no paging): shared by pages, exports and `count=exact`. */
export function filteredRows(knex: Knex, surface: ListSurface, request: ListRequest): Knex.QueryBuilder {
  const rows = knex(`api.${surface.dataset.table}`);
  const time = surface.timeColumn;
  if (time && request.range.from) rows.whereRaw('?? >= ?::timestamp', [time, request.range.from]);
  if (time && request.range.to) rows.whereRaw('?? < ?::timestamp', [time, request.range.to]);
  for (const { column, values } of request.equals) rows.whereIn(column, values as never[]);
  if (request.bbox && surface.point) {
    const [minLon, minLat, maxLon, maxLat] = request.bbox;
    rows.whereBetween(surface.point.longitude, [minLon, maxLon]).whereBetween(surface.point.latitude, [minLat, maxLat]);
  }
  return rows;
}

/**
 * What filteredRows adds to a query, as a shape (what decides its SQL text) and its bindings in
 * the order filteredRows binds them.
 */
function filterShape(surface: ListSurface, request: ListRequest): { shape: string; bindings: unknown[] } {
  const time = surface.timeColumn;
  const bindings: unknown[] = [];
  if (time && request.range.from) bindings.push(request.range.from);
  if (time && request.range.to) bindings.push(request.range.to);
  for (const { values } of request.equals) bindings.push(...values);
  const bbox = request.bbox && surface.point ? request.bbox : undefined;
  if (bbox) bindings.push(bbox[0], bbox[2], bbox[1], bbox[3]);
  const shape = [
    surface.dataset.table,
    time && request.range.from ? 'from' : '',
    time && request.range.to ? 'to' : '',
    request.equals.map(({ column, values }) => `${column}:${values.length}`).join(','),
    bbox ? 'bbox' : '',
  ].join('|');
  return { shape, bindings };
}

type KeyValue = string | number | boolean | null;

/**
 * Cursors belong to one dataset, one order and one set of filters: replayed with others they would
 * skip or repeat rows silently, so that is a 400. `fields`, `limit` and the format may change.
 */
function cursorScope(surface: ListSurface, request: ListRequest): string {
  const filters = {
    range: [request.range.from ?? null, request.range.to ?? null],
    equals: request.equals.map(({ column, values }) => [column, values.map(String).sort()]).sort(),
    bbox: request.bbox ?? null,
  };
  return `${surface.dataset.key}:${request.order.value}:${hash('sha1', JSON.stringify(filters), 'base64url').slice(0, 12)}`;
}

/**
 * One page in keyset order: rows strictly after `cursor`, at most `limit`. NULLs of the order
 * column count as smaller than any value (`DESC NULLS LAST`, `ASC NULLS FIRST`), which is how the
 * datasets' indexes are built, so every query below walks an index instead of sorting.
 */
export function readPage(
  knex: Knex,
  surface: ListSurface,
  request: ListRequest,
  cursor: string | undefined,
  limit: number,
): Promise<{ rows: Record<string, unknown>[]; nextCursor: string | null }> {
  const columns = [...new Set([...request.fields, ...request.order.columns])];
  return readKeysetPage(knex, surface, request, cursor, limit, { shape: `columns:${columns.join(',')}`, apply: (rows) => rows.select(columns) });
}

/**
 * The same page with each row already rendered as JSON text by PostgreSQL (its `fields`, in
 * order, typed as the row parsers would type them), or as a GeoJSON Feature for `shape: 'feature'`.
 * Serving a page then costs Node a string join instead of parsing every value and serializing it
 * again.
 */
export async function readJsonPage(
  knex: Knex,
  surface: ListSurface,
  request: ListRequest,
  cursor: string | undefined,
  limit: number,
  shape: 'row' | 'feature' = 'row',
): Promise<{ rows: string[]; nextCursor: string | null }> {
  const page = await readKeysetPage(knex, surface, request, cursor, limit, {
    shape: `json:${shape}:${request.fields.join(',')}`,
    // Only when a shape is compiled: a page whose shape was compiled before needs none of it.
    apply: (rows) => {
      const properties = jsonRowSql(surface, request.fields);
      rows.select([knex.raw(`${shape === 'feature' ? featureSql(surface, properties) : properties} AS ${JSON_COLUMN}`), ...request.order.columns]);
    },
  });
  return { rows: page.rows.map((row) => row[JSON_ALIAS] as string), nextCursor: page.nextCursor };
}

/**
 * A GeoJSON Feature as text: a Point geometry from the coordinates, `null` when either is missing
 * (RFC 7946 allows it), then the row's fields as `properties`.
 * Concatenated rather than json_build_object, whose output has spaces around every colon.
 */
function featureSql(surface: ListSurface, properties: string): string {
  const { latitude, longitude } = surface.point!;
  const [lat, lon] = [ident(latitude), ident(longitude)];
  const geometry = `CASE WHEN ${lat} IS NULL OR ${lon} IS NULL THEN 'null' ELSE '{"type":"Point","coordinates":[' || to_json(${lon})::text || ',' || to_json(${lat})::text || ']}' END`;
  return `('{"type":"Feature","geometry":' || ${geometry} || ',"properties":' || ${properties} || '}')`;
}

const JSON_ALIAS = 'lakefront_row_json';
const JSON_COLUMN = `"${JSON_ALIAS}"`;

/** How a column reaches JSON so that the text equals what the row parsers (core/db/type-parsers.ts) and JSON.stringify make of it. */
const JSON_VALUE: Partial<Record<FieldInfo['type'], (column: string) => string>> = {
  // Numbers, not decimal text, exactly as Number(text) reads them.
  numeric: (column) => `${column}::float8`,
  // ISO 8601 UTC with milliseconds, as Date#toISOString writes it.
  timestamptz: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
};

/** Each field's select-list entry for JSON, per surface (computed once: this runs for every page). */
const jsonValues = new WeakMap<ListSurface, Map<string, string>>();

/** A per-row subquery: row_to_json keeps the column order and has no argument limit (json_build_object stops at 50 pairs). */
function jsonRowSql(surface: ListSurface, fields: readonly string[]): string {
  let values = jsonValues.get(surface);
  if (!values) {
    values = new Map(
      surface.fields.map(({ name, type }) => {
        const column = ident(name);
        return [name, `${JSON_VALUE[type]?.(column) ?? column} AS ${column}`];
      }),
    );
    jsonValues.set(surface, values);
  }
  return `(SELECT row_to_json(r) FROM (SELECT ${fields.map((name) => values.get(name)!).join(', ')}) r)::text`;
}

async function readKeysetPage(
  knex: Knex,
  surface: ListSurface,
  request: ListRequest,
  cursor: string | undefined,
  limit: number,
  select: { readonly shape: string; apply(rows: Knex.QueryBuilder): void },
): Promise<{ rows: Record<string, unknown>[]; nextCursor: string | null }> {
  const { order } = request;
  const scope = cursorScope(surface, request);
  const segments = cursor ? segmentsAfter(surface, order, decodeCursor(scope, cursor, order.columns.length)) : [WHOLE_RANGE];
  const filters = filterShape(surface, request);
  const page: Record<string, unknown>[] = [];
  // Each segment is one index range; they follow each other in the sort order, so the page is
  // filled from the first and topped up from the next only when the first runs out.
  for (const segment of segments) {
    const rowsWanted = limit + 1 - page.length;
    const rows = await runShapedSelect(knex, {
      shape: `${select.shape}|${filters.shape}|${segment.shape}|${order.value}`,
      bindings: [...filters.bindings, ...segment.bindings, rowsWanted],
      build: () => {
        const rows = filteredRows(knex, surface, request);
        select.apply(rows);
        segment.apply(rows);
        orderRows(rows, order);
        return rows.limit(rowsWanted);
      },
    });
    // A loop, not push(...rows): spreading thousands of rows as arguments overflows the stack.
    for (const row of rows) page.push(row);
    if (page.length > limit) break;
  }
  const hasMore = page.length > limit;
  if (hasMore) page.pop();
  const last = page[page.length - 1];
  const nextCursor = hasMore && last ? encodeCursor(scope, order.columns.map((column) => last[column] as KeyValue)) : null;
  return { rows: page, nextCursor };
}

function orderRows(rows: Knex.QueryBuilder, order: OrderInfo): void {
  const [first, ...rest] = order.columns as [string, ...string[]];
  if (order.nullable) rows.orderBy(first, order.descending ? 'desc' : 'asc', order.descending ? 'last' : 'first');
  else rows.orderBy(first, order.descending ? 'desc' : 'asc');
  for (const column of rest) rows.orderBy(column, order.descending ? 'desc' : 'asc');
}

/** One index range of a page: what it adds to the query, with its shape and bindings as for filterShape. */
interface Segment {
  readonly shape: string;
  readonly bindings: readonly KeyValue[];
  apply(rows: Knex.QueryBuilder): void;
}

/** The first page: the whole filtered range. */
const WHOLE_RANGE: Segment = { shape: 'all', bindings: [], apply: () => undefined };

/** The rows after `key`, as index ranges in sort order. Key columns after the first (the primary key) are never NULL. */
function segmentsAfter(surface: ListSurface, order: OrderInfo, key: KeyValue[]): Segment[] {
  const [first, ...rest] = order.columns as [string, ...string[]];
  const [firstValue, ...restValues] = key;
  const comparison = order.descending ? '<' : '>';
  const cast = (column: string) => SQL_TYPES[surface.fields.find((field) => field.name === column)!.type];
  const tuple = (columns: readonly string[]) => `(${columns.map(() => '??').join(', ')})`;
  const params = (columns: readonly string[]) => `(${columns.map((column) => `?::${cast(column)}`).join(', ')})`;
  const after = (columns: readonly string[], values: readonly KeyValue[]): Segment => ({
    shape: `after:${columns.join(',')}`,
    bindings: values,
    apply: (rows) => void rows.whereRaw(`${tuple(columns)} ${comparison} ${params(columns)}`, [...columns, ...values]),
  });
  const isNull: Segment = { shape: 'null', bindings: [], apply: (rows) => void rows.whereNull(first) };
  const restAfter = rest.length ? after(rest, restValues) : undefined;
  const nullGroup: Segment = restAfter
    ? { shape: `null+${restAfter.shape}`, bindings: restAfter.bindings, apply: (rows) => (isNull.apply(rows), restAfter.apply(rows)) }
    : isNull;
  if (firstValue === null) {
    // In the NULL group: its remainder, then (ascending) every non-NULL row.
    return order.descending ? [nullGroup] : [nullGroup, { shape: 'not-null', bindings: [], apply: (rows) => void rows.whereNotNull(first) }];
  }
  const nonNull = after(order.columns, key);
  if (!order.nullable) return [nonNull];
  // Descending puts the NULL group after every value.
  return order.descending ? [nonNull, isNull] : [nonNull];
}
