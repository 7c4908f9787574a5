import type { Knex } from 'knex';
import type { AggregateModel, Bucket } from '../../../core/aggregate/model.js';
import { ident } from '../../../core/db/sql-ident.js';
import { filteredRows } from '../datasets-api/list-query.js';
import type { ListSurface } from '../../../core/datasets/list-surface.js';
import { outputFieldsOf, type AggregateRequest } from './request.js';
import { readFromRollups, rollupPlan } from './rollup-query.js';

export interface AggregateAnswer {
  readonly data: Record<string, unknown>[];
  /** More groups matched than `limit` allowed. */
  readonly truncated: boolean;
  /** Where the answer came from: the precomputed rollups or the dataset's table. */
  readonly source: 'rollup' | 'table';
}

export interface AggregateOptions {
  /** `auto` (default) reads the rollups when they can answer exactly; `never` always reads the table. */
  readonly rollups?: 'auto' | 'never';
}

/**
 * Answers an aggregate request: from the rollups when they hold the answer (count only, at most
 * two grouped or filtered columns, whole-day ranges, rollups current), else by one GROUP BY over
 * the dataset's view. Values come back typed as the columns are (numbers as numbers).
 */
export async function runAggregate(
  knex: Knex,
  model: AggregateModel,
  surface: ListSurface,
  request: AggregateRequest,
  options: AggregateOptions = {},
): Promise<AggregateAnswer> {
  const plan = options.rollups === 'never' ? undefined : rollupPlan(model, request);
  if (plan) {
    const rows = await readFromRollups(knex, model, surface, request, plan);
    if (rows) return shape(rows, request, 'rollup');
  }
  const query = filteredRows(knex, surface, { ...request.filters, fields: [], order: surface.orders[0]! });
  const selects: string[] = request.groupBy.map((column) => ident(column));
  if (request.bucket && model.time) selects.push(bucketSql(request.bucket, ident(model.time.name), model.time.type === 'date'));
  const groupCount = selects.length;
  selects.push('count(*)::bigint AS "count"');
  for (const { measure, column, field } of request.measures) selects.push(`${measure}(${ident(column)})::float8 AS ${ident(field)}`);
  query.select(knex.raw(selects.join(', ')));
  if (groupCount) query.groupByRaw(Array.from({ length: groupCount }, (_, index) => String(index + 1)).join(', '));
  query.orderByRaw(orderSql(request));
  query.limit(request.limit + 1);
  return shape((await query) as Record<string, unknown>[], request, 'table');
}

/** The bucket of a time value, as `period` (a date), `dow` (1 = Monday … 7) or `hour` (0-23). */
export function bucketSql(bucket: Bucket, column: string, isDate: boolean): string {
  const timestamp = isDate ? `${column}::timestamp` : column;
  if (bucket === 'dow') return `extract(isodow FROM ${column})::int AS "dow"`;
  if (bucket === 'hour') return `extract(hour FROM ${timestamp})::int AS "hour"`;
  // date_trunc('week') starts weeks on Monday (ISO); on a timestamp without zone it is local wall time.
  return `date_trunc('${bucket}', ${timestamp})::date AS "period"`;
}

/** The requested order, then every group field, so equal keys still come out in one stable order. NULL groups sort last. */
export function orderSql(request: AggregateRequest): string {
  const fields = outputFieldsOf(request);
  const groups = fields.slice(0, fields.indexOf('count')).filter((field) => field !== request.order.field);
  return [
    `${ident(request.order.field)} ${request.order.descending ? 'DESC' : 'ASC'} NULLS LAST`,
    ...groups.map((field) => `${ident(field)} ASC NULLS LAST`),
  ].join(', ');
}

function shape(rows: Record<string, unknown>[], request: AggregateRequest, source: AggregateAnswer['source']): AggregateAnswer {
  const truncated = rows.length > request.limit;
  const fields = outputFieldsOf(request);
  const data = rows.slice(0, request.limit).map((row) => {
    const out: Record<string, unknown> = {};
    for (const field of fields) out[field] = row[field] ?? null;
    return out;
  });
  return { data, truncated, source };
}
