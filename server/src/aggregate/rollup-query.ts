import type { Knex } from 'knex';
import { runSelect } from '../../../core/db/run-select.js';
import { HOUR_DIM, type AggregateModel } from '../../../core/aggregate/model.js';
import { pairDim, ROLLUP_VIEWS, TOTAL_DIM, type Grain } from '../../../core/aggregate/rollups.js';
import { SQL_TYPES } from '../../../core/datasets/index.js';
import type { ListSurface } from '../../../core/datasets/list-surface.js';
import { ident } from '../../../core/db/sql-ident.js';
import { filteredRows } from '../datasets-api/list-query.js';
import { dayOrder, monthStartOnOrAfter, monthStartOnOrBefore } from '../local-time.js';
import { orderSql } from './query.js';
import type { AggregateRequest } from './request.js';

/** Which rollup rows answer a request: one grain, one dimension (the total, a column or a pair of columns). */
export interface RollupPlan {
  readonly grain: Grain;
  readonly dim: string;
  /** The columns behind `dim`, in the model's order: none (the total), one, or a pair (`value`, `value2`). */
  readonly columns: readonly string[];
}

const MIDNIGHT = /T00:00(:00(\.0+)?)?$/;

/**
 * The rollups hold `count` per day and per month for each dimension alone (a groupable column, or
 * the hour of day) and for the total, and per month for each pair of dimensions. They answer a
 * request exactly when it asks for `count` only, groups and filters on at most two dimensions
 * (`bucket=hour` is one), draws no bbox, and its time bounds fall on whole days. A pair has no day
 * rows, so it cannot answer buckets finer than a month. Anything else reads the table.
 */
export function rollupPlan(model: AggregateModel, request: AggregateRequest): RollupPlan | undefined {
  if (!model.time || request.measures.length || request.filters.bbox) return undefined;
  const asked = new Set([...request.groupBy, ...request.filters.equals.map((item) => item.column)]);
  if (request.bucket === 'hour') asked.add(HOUR_DIM);
  const columns = model.dims.map((dim) => dim.name).filter((name) => asked.has(name));
  if (columns.length !== asked.size || columns.length > 2) return undefined;
  const bounds = [request.filters.range.from, request.filters.range.to].filter((bound): bound is string => bound !== undefined);
  if (!bounds.every((bound) => !bound.includes('T') || MIDNIGHT.test(bound))) return undefined;
  const needsDays = request.bucket === 'week' || request.bucket === 'day' || request.bucket === 'dow';
  if (needsDays && columns.length === 2) return undefined;
  const dim = columns.length === 2 ? pairDim(columns[0]!, columns[1]!) : (columns[0] ?? TOTAL_DIM);
  return { grain: needsDays ? 'day' : 'month', dim, columns };
}

/** A half-open range of days, `YYYY-MM-DD`; an absent bound is open. */
interface Days {
  readonly from?: string;
  readonly to?: string;
}

/**
 * Splits a range of whole days into the whole months it covers and the days left at either
 * edge, each edge shorter than a month: months are read from month rows, edges from day rows
 * (or, for a pair, from the table).
 */
export function splitIntoMonths(range: Days): { months?: Days; edges: Days[] } {
  const start = range.from === undefined ? undefined : monthStartOnOrAfter(range.from);
  const end = range.to === undefined ? undefined : monthStartOnOrBefore(range.to);
  if (start !== undefined && end !== undefined && dayOrder(start) >= dayOrder(end)) return { edges: [range] };
  const edges: Days[] = [];
  if (range.from !== undefined && range.from !== start) edges.push({ from: range.from, to: start! });
  if (range.to !== undefined && range.to !== end) edges.push({ from: end!, to: range.to });
  return { months: { ...(start ? { from: start } : {}), ...(end ? { to: end } : {}) }, edges };
}

/** Reads the answer from the rollups, or returns undefined when they are behind the table (a write not yet rolled up). */
export async function readFromRollups(
  knex: Knex,
  model: AggregateModel,
  surface: ListSurface,
  request: AggregateRequest,
  plan: RollupPlan,
): Promise<Record<string, unknown>[] | undefined> {
  const days: Days = {
    ...(request.filters.range.from ? { from: request.filters.range.from.slice(0, 10) } : {}),
    ...(request.filters.range.to ? { to: request.filters.range.to.slice(0, 10) } : {}),
  };
  const split = plan.grain === 'day' ? { months: undefined, edges: [] } : splitIntoMonths(days);
  const readsTable = plan.columns.length === 2 && split.edges.length > 0;
  // Rollups and table read in one snapshot, or a write committed between the two statements could
  // be counted in the table's edge days and not in the rollups (or the other way round).
  if (readsTable) return knex.transaction((trx) => readRollups(trx, model, surface, request, plan, days, split), { isolationLevel: 'repeatable read', readOnly: true });
  return readRollups(knex, model, surface, request, plan, days, split);
}

async function readRollups(
  knex: Knex,
  model: AggregateModel,
  surface: ListSurface,
  request: AggregateRequest,
  plan: RollupPlan,
  days: Days,
  split: { months?: Days | undefined; edges: Days[] },
): Promise<Record<string, unknown>[] | undefined> {
  const [status] = (await runSelect(knex, knex(ROLLUP_VIEWS.status).where({ dataset: model.dataset.key }).select('current', 'dims').limit(1))) as {
    current: boolean;
    dims: string[] | null;
  }[];
  // Current, and holding the dimensions asked (a dimension new to the code is held after the next refresh).
  if (!status?.current || !plan.columns.every((column) => status.dims?.includes(column))) return undefined;
  const dims = model.dims;
  const dimOf = (name: string) => dims.find((dim) => dim.name === name)!;
  const rollupRows = (grain: Grain, days: Days) => {
    const rows = knex(ROLLUP_VIEWS.rows).select('period', 'value', 'value2', 'count').where({ dataset: model.dataset.key, grain, dim: plan.dim });
    if (days.from) rows.where('period', '>=', days.from);
    if (days.to) rows.where('period', '<', days.to);
    return rows;
  };
  // A pair's days at the edges of the range: counted from the table, as its rollups would count them.
  const tableRows = (days: Days) => {
    const [first, second] = plan.columns.map((column) => dimOf(column).sql) as [string, string];
    const range = { from: `${days.from!}T00:00:00`, to: `${days.to!}T00:00:00` };
    return filteredRows(knex, surface, { range, equals: request.filters.equals, fields: [], order: surface.orders[0]! })
      .select(knex.raw(`${ident(model.time!.name)}::date AS period, ${first}::text AS value, ${second}::text AS value2, count(*)::bigint AS count`))
      .groupByRaw('1, 2, 3');
  };
  const parts: Knex.QueryBuilder[] = [];
  if (plan.grain === 'day') parts.push(rollupRows('day', days));
  else {
    if (split.months) parts.push(rollupRows('month', split.months));
    for (const edge of split.edges) parts.push(plan.columns.length === 2 ? tableRows(edge) : rollupRows('day', edge));
  }

  const typedValue = (column: string) => `(${plan.columns.indexOf(column) === 0 ? 'value' : 'value2'})::${SQL_TYPES[dimOf(column).type]}`;
  const selects = request.groupBy.map((column) => `${typedValue(column)} AS ${ident(column)}`);
  if (request.bucket === 'hour') selects.push(`${typedValue(HOUR_DIM)} AS "hour"`);
  else if (request.bucket) selects.push(periodBucketSql(request.bucket));
  const groupCount = selects.length;
  selects.push('coalesce(sum("count"), 0)::bigint AS "count"');
  const query = knex
    .select(knex.raw(selects.join(', ')))
    .from(knex.raw(`(${parts.map(() => '?').join(' UNION ALL ')}) AS rolled`, parts));
  for (const { column, values } of request.filters.equals) query.whereIn(knex.raw(typedValue(column)) as never, values as never[]);
  if (groupCount) query.groupByRaw(Array.from({ length: groupCount }, (_, index) => String(index + 1)).join(', '));
  query.orderByRaw(orderSql(request)).limit(request.limit + 1);
  return runSelect(knex, query);
}

/** The bucket of a rollup row's `period` (its day, or its month's first day); `hour` is a dimension instead. */
function periodBucketSql(bucket: Exclude<AggregateRequest['bucket'], 'hour' | undefined>): string {
  if (bucket === 'dow') return `extract(isodow FROM period)::int AS "dow"`;
  if (bucket === 'day') return `period AS "period"`;
  return `date_trunc('${bucket}', period::timestamp)::date AS "period"`;
}
