import type { Knex } from 'knex';
import type { AggregateModel } from '../../../core/aggregate/model.js';
import { ROLLUP_VIEWS, TOTAL_DIM, type Grain } from '../../../core/aggregate/rollups.js';
import { SQL_TYPES } from '../../../core/datasets/index.js';
import { ident } from '../../../core/db/sql-ident.js';
import { orderSql } from './query.js';
import type { AggregateRequest } from './request.js';

/** Which rollup rows answer a request: one grain, one dimension (a column, or the total). */
export interface RollupPlan {
  readonly grain: Grain;
  readonly dim: string;
}

const MIDNIGHT = /T00:00(:00(\.0+)?)?$/;

/**
 * The rollups hold `count` per day and per month, for each groupable column alone and for the
 * total. They answer a request exactly when it asks for `count` only, groups and filters on at
 * most one column, draws no bbox, needs no hour of day, and its time bounds fall on whole days
 * (whole months for the monthly grain). Anything else reads the table.
 */
export function rollupPlan(model: AggregateModel, request: AggregateRequest): RollupPlan | undefined {
  if (!model.time || request.measures.length || request.filters.bbox || request.bucket === 'hour') return undefined;
  const columns = new Set([...request.groupBy, ...request.filters.equals.map((item) => item.column)]);
  if (columns.size > 1) return undefined;
  const bounds = [request.filters.range.from, request.filters.range.to].filter((bound): bound is string => bound !== undefined);
  if (!bounds.every((bound) => !bound.includes('T') || MIDNIGHT.test(bound))) return undefined;
  const wholeMonths = bounds.every((bound) => bound.slice(8, 10) === '01');
  const needsDays = request.bucket === 'week' || request.bucket === 'day' || request.bucket === 'dow';
  const [dim = TOTAL_DIM] = columns;
  return { grain: needsDays || !wholeMonths ? 'day' : 'month', dim };
}

/** Reads the answer from the rollups, or returns undefined when they are behind the table (a write not yet rolled up). */
export async function readFromRollups(knex: Knex, model: AggregateModel, request: AggregateRequest, plan: RollupPlan): Promise<Record<string, unknown>[] | undefined> {
  const status = (await knex(ROLLUP_VIEWS.status).where({ dataset: model.dataset.key }).first('current')) as { current: boolean } | undefined;
  if (!status?.current) return undefined;
  const selects: string[] = [];
  const dimColumn = model.groupable.find((column) => column.name === plan.dim);
  const typedValue = dimColumn ? `(value)::${SQL_TYPES[dimColumn.type]}` : undefined;
  if (request.groupBy.length && typedValue) selects.push(`${typedValue} AS ${ident(plan.dim)}`);
  if (request.bucket) selects.push(periodBucketSql(request.bucket));
  const groupCount = selects.length;
  selects.push('coalesce(sum("count"), 0)::bigint AS "count"');
  const query = knex(ROLLUP_VIEWS.rows)
    .select(knex.raw(selects.join(', ')))
    .where({ dataset: model.dataset.key, grain: plan.grain, dim: plan.dim });
  const { from, to } = request.filters.range;
  if (from) query.whereRaw('period >= ?::date', [from.slice(0, 10)]);
  if (to) query.whereRaw('period < ?::date', [to.slice(0, 10)]);
  for (const { values } of request.filters.equals) query.whereIn(knex.raw(typedValue!) as never, values as never[]);
  if (groupCount) query.groupByRaw(Array.from({ length: groupCount }, (_, index) => String(index + 1)).join(', '));
  query.orderByRaw(orderSql(request)).limit(request.limit + 1);
  return (await query) as Record<string, unknown>[];
}

/** The bucket of a rollup row's `period` (its day, or its month's first day). */
function periodBucketSql(bucket: NonNullable<AggregateRequest['bucket']>): string {
  if (bucket === 'dow') return `extract(isodow FROM period)::int AS "dow"`;
  if (bucket === 'day') return `period AS "period"`;
  return `date_trunc('${bucket}', period::timestamp)::date AS "period"`;
}
