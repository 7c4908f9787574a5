import type { Knex } from 'knex';
import { findDataset } from '../datasets/index.js';
import type { Database } from '../db/connect.js';
import { ident } from '../db/sql-ident.js';
import { aggregateModel, type AggregateModel } from './model.js';

/**
 * Rollups behind `GET /v1/{key}/aggregate`: row counts per day and per month (Chicago local
 * time, as the time columns store it), for each groupable column alone (`dim` names it, `value`
 * holds the group value as text, NULL kept) and for the total (`dim` ''). One table serves every
 * dataset; migration 202612062200-aggregate-rollups creates it.
 *
 * They are kept current incrementally. A statement trigger on each dataset's table records the
 * days its inserts, updates and deletes touched in `data.aggregate_dirty`; `refreshAggregates`
 * recomputes just those days from the table, then their months from the days. A refresh
 * therefore costs in proportion to the rows of the touched days, not to the table. Until the
 * refresh has run, the status view says the rollups are behind and the API reads the table, so
 * an answer is never stale.
 */
export const ROLLUP_TABLES = {
  rows: 'data.aggregate_rollups',
  dirty: 'data.aggregate_dirty',
  tracked: 'data.aggregate_tracked',
} as const;

/** What the API reads (schema `api`). */
export const ROLLUP_VIEWS = {
  rows: 'api.aggregate_rollups',
  status: 'api.aggregate_status',
} as const;

export const TOTAL_DIM = '';
export type Grain = 'day' | 'month';

/** Above this many touched days a refresh recomputes the dataset whole: one scan beats thousands of range scans. */
const WHOLE_REBUILD_DAYS = 400;

/**
 * The statements that make a dataset's writes mark their days dirty, and mark every day it
 * already holds (so the first refresh builds its rollups). A dataset's migration runs them once.
 */
export function trackAggregatesSql(datasetKey: string, table: string, timeColumn: string): string[] {
  const target = `data.${ident(table)}`;
  const args = `'${datasetKey.replaceAll("'", "''")}', '${timeColumn.replaceAll("'", "''")}'`;
  const name = (event: string) => ident(`${table}_aggregate_${event}`);
  return [
    `CREATE TRIGGER ${name('insert')} AFTER INSERT ON ${target} REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION lakefront.aggregate_mark_dirty(${args})`,
    `CREATE TRIGGER ${name('update')} AFTER UPDATE ON ${target} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION lakefront.aggregate_mark_dirty(${args})`,
    `CREATE TRIGGER ${name('delete')} AFTER DELETE ON ${target} REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION lakefront.aggregate_mark_dirty(${args})`,
    `INSERT INTO ${ROLLUP_TABLES.tracked} (dataset) VALUES ('${datasetKey.replaceAll("'", "''")}')`,
    `INSERT INTO ${ROLLUP_TABLES.dirty} (dataset, day)
       SELECT DISTINCT '${datasetKey.replaceAll("'", "''")}', ${ident(timeColumn)}::date FROM ${target}
       ON CONFLICT DO NOTHING`,
  ];
}

export function untrackAggregatesSql(datasetKey: string, table: string): string[] {
  const target = `data.${ident(table)}`;
  const key = `'${datasetKey.replaceAll("'", "''")}'`;
  return [
    ...['insert', 'update', 'delete'].map((event) => `DROP TRIGGER IF EXISTS ${ident(`${table}_aggregate_${event}`)} ON ${target}`),
    `DELETE FROM ${ROLLUP_TABLES.tracked} WHERE dataset = ${key}`,
    `DELETE FROM ${ROLLUP_TABLES.dirty} WHERE dataset = ${key}`,
    `DELETE FROM ${ROLLUP_TABLES.rows} WHERE dataset = ${key}`,
  ];
}

/**
 * Brings the rollups of the given datasets (all tracked ones when none is named) up to date with
 * their tables. Called with the reports' refresh (core/reports/rollups.ts), after every sync.
 */
export async function refreshAggregates(db: Database, datasetKeys?: readonly string[]): Promise<{ view: string; ms: number }[]> {
  const tracked = ((await db.knex(ROLLUP_TABLES.tracked).select('dataset')) as { dataset: string }[]).map((row) => row.dataset);
  const timings: { view: string; ms: number }[] = [];
  for (const key of tracked) {
    if (datasetKeys && !datasetKeys.includes(key)) continue;
    const dataset = findDataset(key);
    if (!dataset?.timeColumn) continue;
    const started = Date.now();
    const days = await db.knex.transaction((trx) => refreshDataset(trx, aggregateModel(dataset)));
    if (days > 0) timings.push({ view: `${ROLLUP_TABLES.rows} (${key}, ${days} days)`, ms: Date.now() - started });
  }
  return timings;
}

async function refreshDataset(trx: Knex.Transaction, model: AggregateModel): Promise<number> {
  const key = model.dataset.key;
  // One refresh per dataset at a time; writers are not blocked (they only add dirty days).
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`lakefront.aggregate:${key}`]);
  const taken = (await trx.raw(`DELETE FROM ${ROLLUP_TABLES.dirty} WHERE dataset = ? RETURNING day`, [key])) as { rows: { day: string | null }[] };
  const days = taken.rows.map((row) => row.day).filter((day): day is string => day !== null);
  const nullDay = taken.rows.some((row) => row.day === null);
  if (!taken.rows.length) return 0;
  const whole = days.length > WHOLE_REBUILD_DAYS;
  const time = ident(model.time!.name);
  const table = `data.${ident(model.dataset.table)}`;
  const dims = model.groupable.map((column) => column.name);
  const columns = [time, ...dims.map(ident)];

  // 1. The touched days (and the rows without a time, as the NULL day), recomputed from the table.
  let source: string;
  const bindings: Knex.Value[] = [];
  if (whole) {
    await trx.raw(`DELETE FROM ${ROLLUP_TABLES.rows} WHERE dataset = ?`, [key]);
    source = `SELECT ${columns.join(', ')} FROM ${table}`;
  } else {
    await trx.raw(
      `DELETE FROM ${ROLLUP_TABLES.rows} WHERE dataset = ? AND grain = 'day' AND (period = ANY(?::date[]) OR (period IS NULL AND ?))`,
      [key, days, nullDay],
    );
    // One index range scan of the time column per day.
    source = `SELECT ${columns.map((column) => `t.${column}`).join(', ')}
              FROM unnest(?::date[]) AS d(day) JOIN ${table} t ON t.${time} >= d.day AND t.${time} < d.day + 1
              UNION ALL SELECT ${columns.join(', ')} FROM ${table} WHERE ? AND ${time} IS NULL`;
    bindings.push(days, nullDay);
  }
  // One pass with GROUPING SETS: (day, column) for each groupable column, and (day) for the total.
  const grouped = (column: string) => `GROUPING(${ident(column)}) = 0`;
  const dimSql = dims.length ? `CASE ${dims.map((column) => `WHEN ${grouped(column)} THEN '${column}'`).join(' ')} ELSE '' END` : `''`;
  const valueSql = dims.length ? `COALESCE(${dims.map((column) => `CASE WHEN ${grouped(column)} THEN ${ident(column)}::text END`).join(', ')})` : 'NULL::text';
  const sets = [...dims.map((column) => `(day, ${ident(column)})`), '(day)'].join(', ');
  await trx.raw(
    `INSERT INTO ${ROLLUP_TABLES.rows} (dataset, grain, dim, period, value, count)
     SELECT ?, 'day', ${dimSql}, day, ${valueSql}, count(*)
     FROM (SELECT ${time}::date AS day${dims.map((column) => `, ${ident(column)}`).join('')} FROM (${source}) touched) s
     GROUP BY GROUPING SETS (${sets})`,
    [key, ...bindings],
  );

  // 2. Their months, from the day rows.
  const monthsOf = `SELECT dataset, 'month', dim, date_trunc('month', period::timestamp)::date, value, sum(count)`;
  const insertMonths = `INSERT INTO ${ROLLUP_TABLES.rows} (dataset, grain, dim, period, value, count)`;
  if (whole) {
    await trx.raw(`${insertMonths} ${monthsOf} FROM ${ROLLUP_TABLES.rows} WHERE dataset = ? AND grain = 'day' GROUP BY dataset, dim, 4, value`, [key]);
    return taken.rows.length;
  }
  const months = [...new Set(days.map((day) => `${day.slice(0, 7)}-01`))];
  await trx.raw(
    `DELETE FROM ${ROLLUP_TABLES.rows} WHERE dataset = ? AND grain = 'month' AND (period = ANY(?::date[]) OR (period IS NULL AND ?))`,
    [key, months, nullDay],
  );
  await trx.raw(
    `${insertMonths} ${monthsOf}
     FROM (SELECT r.* FROM unnest(?::date[]) AS m(month)
             JOIN ${ROLLUP_TABLES.rows} r ON r.dataset = ? AND r.grain = 'day' AND r.period >= m.month AND r.period < (m.month + interval '1 month')
           UNION ALL SELECT * FROM ${ROLLUP_TABLES.rows} WHERE ? AND dataset = ? AND grain = 'day' AND period IS NULL) touched
     GROUP BY dataset, dim, 4, value`,
    [months, key, nullDay, key],
  );
  return taken.rows.length;
}
