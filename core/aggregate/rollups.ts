import type { Knex } from 'knex';
import { findDataset } from '../datasets/index.js';
import type { Database } from '../db/connect.js';
import { ident } from '../db/sql-ident.js';
import { aggregateModel, type AggregateModel } from './model.js';

/**
 * Rollups behind `GET /v1/{key}/aggregate`: row counts per day and per month (Chicago local
 * time, as the time columns store it), for each groupable column alone (`dim` names it, `value`
 * holds the group value as text, NULL kept) and for the total (`dim` ''); and per month for each
 * pair of groupable columns (`dim` 'a,b' in the model's order, `value` a's value, `value2` b's;
 * migration 202612070300-aggregate-pair-rollups), so that a count by one column among the rows of
 * another is read from here too. One table serves every dataset; migration
 * 202612062330-aggregate-rollups creates it.
 *
 * They are kept current incrementally, by statement triggers on each dataset's table:
 * - updates and deletes record their changes in `data.aggregate_changes`: per day, column and
 *   value, how the count changed (migration 202612070040-aggregate-changes). The refresh adds
 *   them to the day and month rows, so its cost follows the rows that changed, wherever they fall.
 * - inserts record the days they touched in `data.aggregate_dirty`, and the refresh recomputes
 *   those days from the table, then their months from the days (a pair's months from the table):
 *   new rows come in bulk on a few recent days, or on every day in a backfill, when one pass over
 *   the table is cheaper than changes.
 * Until the refresh has run, the status view says the rollups are behind and the API reads the
 * table, so an answer is never stale.
 */
export const ROLLUP_TABLES = {
  rows: 'data.aggregate_rollups',
  dirty: 'data.aggregate_dirty',
  tracked: 'data.aggregate_tracked',
  changes: 'data.aggregate_changes',
} as const;

/** What the API reads (schema `api`). */
export const ROLLUP_VIEWS = {
  rows: 'api.aggregate_rollups',
  status: 'api.aggregate_status',
} as const;

export const TOTAL_DIM = '';
export type Grain = 'day' | 'month';

/**
 * When the days to recompute hold more than this share of the dataset's rows, the refresh
 * rebuilds it whole: one pass over the table beats that many range scans.
 */
const WHOLE_REBUILD_SHARE = 0.5;

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
    const done = await db.knex.transaction((trx) => refreshDataset(trx, aggregateModel(dataset)));
    if (done.days > 0 || done.changes > 0) {
      const what = done.whole ? `rebuilt, ${done.days} days` : `${done.days} days recomputed, ${done.changes} changes added`;
      timings.push({ view: `${ROLLUP_TABLES.rows} (${key}, ${what})`, ms: Date.now() - started });
    }
  }
  return timings;
}

interface Refreshed {
  /** Days recomputed from the table (every day when `whole`). */
  readonly days: number;
  /** Changes (day, column, value, count difference) added to the rollups. */
  readonly changes: number;
  readonly whole: boolean;
}

const TAKEN_CHANGES = 'lakefront_aggregate_taken_changes';

async function refreshDataset(trx: Knex.Transaction, model: AggregateModel): Promise<Refreshed> {
  const key = model.dataset.key;
  const table = `data.${ident(model.dataset.table)}`;
  // The table's columns the rollups are computed from (the hour of day comes from the time column).
  const dims = model.groupable.map((column) => column.name);
  // One refresh per dataset at a time.
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`lakefront.aggregate:${key}`]);
  await trackDims(trx, model, model.dims.map((dim) => dim.name));
  // Recomputing days from the table needs the table still while it runs: a write committed
  // between taking its changes and reading the table would count twice. Writers wait (readers
  // do not); with only changes to add, nothing waits.
  const dirty = (await trx.raw(`SELECT EXISTS (SELECT 1 FROM ${ROLLUP_TABLES.dirty} WHERE dataset = ?) AS any`, [key])).rows[0].any as boolean;
  if (dirty) await trx.raw(`LOCK TABLE ${table} IN SHARE MODE`);
  // Only under the lock: days an insert marks after the check wait for the next refresh, since
  // without it a write committed while the months are read could be counted twice.
  const taken = dirty
    ? ((await trx.raw(`DELETE FROM ${ROLLUP_TABLES.dirty} WHERE dataset = ? RETURNING day`, [key])) as { rows: { day: string | null }[] })
    : { rows: [] };
  const days = taken.rows.map((row) => row.day).filter((day): day is string => day !== null);
  const nullDay = taken.rows.some((row) => row.day === null);
  await trx.raw(`CREATE TEMP TABLE ${TAKEN_CHANGES} (day date, dim text, value text, value2 text, delta bigint) ON COMMIT DROP`);
  const counted = await trx.raw(
    `WITH taken AS (DELETE FROM ${ROLLUP_TABLES.changes} WHERE dataset = ? RETURNING day, dim, value, value2, delta),
          kept AS (INSERT INTO ${TAKEN_CHANGES} SELECT day, dim, value, value2, sum(delta) FROM taken GROUP BY day, dim, value, value2 HAVING sum(delta) <> 0 RETURNING 1)
     SELECT count(*) AS n FROM kept`,
    [key],
  );
  const changes = Number(counted.rows[0].n);
  if (!taken.rows.length && !changes) return { days: 0, changes: 0, whole: false };

  if (taken.rows.length && (await rebuildsWhole(trx, key, days, nullDay))) {
    await trx.raw(`DELETE FROM ${ROLLUP_TABLES.rows} WHERE dataset = ?`, [key]);
    const everyRow = `SELECT ${[ident(model.time!.name), ...dims.map(ident)].join(', ')} FROM ${table}`;
    await insertDays(trx, model, everyRow, []);
    await trx.raw(`${INSERT_ROWS} ${MONTHS_OF} FROM ${ROLLUP_TABLES.rows} WHERE dataset = ? AND grain = 'day' GROUP BY dataset, dim, 4, value`, [key]);
    await insertPairMonths(trx, model, everyRow, []);
    return { days: taken.rows.length, changes, whole: true };
  }

  // 1. The days inserts touched (and the rows without a time, as the NULL day), recomputed from the table.
  if (taken.rows.length) {
    const time = ident(model.time!.name);
    const columns = [time, ...dims.map(ident)];
    await trx.raw(`DELETE FROM ${ROLLUP_TABLES.rows} WHERE dataset = ? AND grain = 'day' AND (period = ANY(?::date[]) OR (period IS NULL AND ?))`, [key, days, nullDay]);
    // One index range scan of the time column per day: a LATERAL subquery kept apart by OFFSET 0,
    // since as a plain join the planner read the whole table (2 days at 8M crimes: 3.5 s).
    await insertDays(
      trx,
      model,
      `SELECT ${columns.map((column) => `t.${column}`).join(', ')}
       FROM unnest(?::date[]) AS d(day) CROSS JOIN LATERAL (SELECT * FROM ${table} WHERE ${time} >= d.day AND ${time} < d.day + 1 OFFSET 0) t
       UNION ALL SELECT ${columns.join(', ')} FROM ${table} WHERE ? AND ${time} IS NULL`,
      [days, nullDay],
    );
  }
  // 2. Changes on other days, added to their day rows. The recomputed days already hold theirs.
  const elsewhere = `NOT (coalesce(day = ANY(?::date[]), false) OR (day IS NULL AND ?))`;
  await trx.raw(
    `${INSERT_ROWS} SELECT ?, 'day', dim, day, value, NULL, delta FROM ${TAKEN_CHANGES} WHERE ${elsewhere} AND ${SINGLE_DIM} ${ADD_ON_CONFLICT}`,
    [key, days, nullDay],
  );
  // 3. The months of recomputed days, from their day rows (which now hold every change).
  const months = [...new Set(days.map((day) => `${day.slice(0, 7)}-01`))];
  if (taken.rows.length) {
    await trx.raw(`DELETE FROM ${ROLLUP_TABLES.rows} WHERE dataset = ? AND grain = 'month' AND (period = ANY(?::date[]) OR (period IS NULL AND ?))`, [key, months, nullDay]);
    await trx.raw(
      `${INSERT_ROWS} ${MONTHS_OF}
       FROM (SELECT r.* FROM unnest(?::date[]) AS m(month)
               JOIN ${ROLLUP_TABLES.rows} r ON r.dataset = ? AND r.grain = 'day' AND r.period >= m.month AND r.period < (m.month + interval '1 month')
             UNION ALL SELECT * FROM ${ROLLUP_TABLES.rows} WHERE ? AND dataset = ? AND grain = 'day' AND period IS NULL) touched
       GROUP BY dataset, dim, 4, value`,
      [months, key, nullDay, key],
    );
    // Pairs have no day rows: their months come from the table, one index range scan per month.
    const columns = [ident(model.time!.name), ...dims.map(ident)];
    await insertPairMonths(
      trx,
      model,
      `SELECT ${columns.map((column) => `t.${column}`).join(', ')}
       FROM unnest(?::date[]) AS m(month)
         CROSS JOIN LATERAL (SELECT * FROM ${table} WHERE ${columns[0]} >= m.month AND ${columns[0]} < m.month + interval '1 month' OFFSET 0) t
       UNION ALL SELECT ${columns.join(', ')} FROM ${table} WHERE ? AND ${columns[0]} IS NULL`,
      [months, nullDay],
    );
  }
  // 4. Changes in other months, added to their month rows.
  await trx.raw(
    `${INSERT_ROWS} SELECT ?, 'month', dim, month, value, value2, sum(delta)
     FROM (SELECT date_trunc('month', day::timestamp)::date AS month, dim, value, value2, delta FROM ${TAKEN_CHANGES}) c
     WHERE NOT (coalesce(month = ANY(?::date[]), false) OR (month IS NULL AND ?))
     GROUP BY month, dim, value, value2 ${ADD_ON_CONFLICT}`,
    [key, months, nullDay],
  );
  // 5. Groups whose count fell to zero are gone, as a GROUP BY would not list them.
  if (changes) {
    for (const [grain, period] of [['day', 'day'], ['month', `date_trunc('month', day::timestamp)::date`]] as const) {
      await trx.raw(
        `DELETE FROM ${ROLLUP_TABLES.rows} WHERE dataset = ? AND grain = ? AND count = 0
           AND (period = ANY(ARRAY(SELECT DISTINCT ${period} FROM ${TAKEN_CHANGES} WHERE day IS NOT NULL))
                OR (period IS NULL AND EXISTS (SELECT 1 FROM ${TAKEN_CHANGES} WHERE day IS NULL)))`,
        [key, grain],
      );
    }
  }
  return { days: taken.rows.length, changes, whole: false };
}

const INSERT_ROWS = `INSERT INTO ${ROLLUP_TABLES.rows} AS r (dataset, grain, dim, period, value, value2, count)`;
const MONTHS_OF = `SELECT dataset, 'month', dim, date_trunc('month', period::timestamp)::date, value, NULL::text, sum(count)`;
const ADD_ON_CONFLICT = 'ON CONFLICT (dataset, grain, dim, period, value, value2) DO UPDATE SET count = r.count + EXCLUDED.count';
/** A single column's (or the total's) rows; a pair's `dim` is 'a,b', and column names hold no comma. */
const SINGLE_DIM = `strpos(dim, ',') = 0`;

/**
 * Keeps the columns the triggers record changes for in step with the model. A column the rollups
 * did not hold before means every day is recomputed.
 */
async function trackDims(trx: Knex.Transaction, model: AggregateModel, dims: readonly string[]): Promise<void> {
  const key = model.dataset.key;
  const row = (await trx(ROLLUP_TABLES.tracked).where({ dataset: key }).first('dims')) as { dims: string[] | null } | undefined;
  if (row?.dims && row.dims.join(',') === dims.join(',')) return;
  await trx.raw(`UPDATE ${ROLLUP_TABLES.tracked} SET dims = ?::text[] WHERE dataset = ?`, [dims as string[], key]);
  if (row?.dims) {
    const time = ident(model.time!.name);
    await trx.raw(`INSERT INTO ${ROLLUP_TABLES.dirty} (dataset, day) SELECT DISTINCT ?, ${time}::date FROM data.${ident(model.dataset.table)} ON CONFLICT DO NOTHING`, [key]);
  }
}

/** Whether the days to recompute hold so much of the dataset that one pass over the table is cheaper (or nothing is rolled up yet). */
async function rebuildsWhole(trx: Knex.Transaction, key: string, days: readonly string[], nullDay: boolean): Promise<boolean> {
  const { rows } = await trx.raw(
    `SELECT coalesce(sum(count) FILTER (WHERE period = ANY(?::date[]) OR (period IS NULL AND ?)), 0) AS touched, coalesce(sum(count), 0) AS total
     FROM ${ROLLUP_TABLES.rows} WHERE dataset = ? AND grain = 'day' AND dim = ''`,
    [days as string[], nullDay, key],
  );
  const { touched, total } = rows[0] as { touched: number | string; total: number | string };
  return Number(total) === 0 || Number(touched) > Number(total) * WHOLE_REBUILD_SHARE;
}

/** Inserts the day rows of `source` (the time column, then the groupable columns) in one pass with GROUPING SETS: (day, dimension) for each rollup dimension, and (day) for the total. */
async function insertDays(trx: Knex.Transaction, model: AggregateModel, source: string, bindings: Knex.Value[]): Promise<void> {
  const dims = model.dims.map((dim) => dim.name);
  const time = ident(model.time!.name);
  const grouped = (column: string) => `GROUPING(${ident(column)}) = 0`;
  const dimSql = dims.length ? `CASE ${dims.map((column) => `WHEN ${grouped(column)} THEN '${column}'`).join(' ')} ELSE '' END` : `''`;
  const valueSql = dims.length ? `COALESCE(${dims.map((column) => `CASE WHEN ${grouped(column)} THEN ${ident(column)}::text END`).join(', ')})` : 'NULL::text';
  const sets = [...dims.map((column) => `(day, ${ident(column)})`), '(day)'].join(', ');
  await trx.raw(
    `INSERT INTO ${ROLLUP_TABLES.rows} (dataset, grain, dim, period, value, count)
     SELECT ?, 'day', ${dimSql}, day, ${valueSql}, count(*)
     FROM (SELECT ${time}::date AS day${dimValues(model)} FROM (${source}) touched) s
     GROUP BY GROUPING SETS (${sets})`,
    [model.dataset.key, ...bindings],
  );
}

/** The rollup dimensions' values of a source row, named by the dimensions: `, "a", extract(hour FROM "t")::int AS "@hour"`. */
function dimValues(model: AggregateModel): string {
  return model.dims.map((dim) => `, ${dim.sql} AS ${ident(dim.name)}`).join('');
}

/** The pairs of rollup dimensions that have month rollups: every pair, in the dimensions' order, named 'a,b'. */
export function pairDims(model: AggregateModel): { readonly dim: string; readonly columns: readonly [string, string] }[] {
  const names = model.dims.map((dim) => dim.name);
  return names.flatMap((first, index) => names.slice(index + 1).map((second) => ({ dim: pairDim(first, second), columns: [first, second] as const })));
}

export function pairDim(first: string, second: string): string {
  return `${first},${second}`;
}

/** Inserts the month rows of every pair from `source` (the time column, then the groupable columns) in one pass with GROUPING SETS. */
async function insertPairMonths(trx: Knex.Transaction, model: AggregateModel, source: string, bindings: Knex.Value[]): Promise<void> {
  const pairs = pairDims(model);
  if (!pairs.length) return;
  const count = model.dims.length;
  const time = ident(model.time!.name);
  const both = ([first, second]: readonly [string, string]) => `GROUPING(${ident(first)}) = 0 AND GROUPING(${ident(second)}) = 0`;
  const dimSql = `CASE ${pairs.map((pair) => `WHEN ${both(pair.columns)} THEN '${pair.dim}'`).join(' ')} END`;
  const valueSql = (side: 0 | 1) => `CASE ${pairs.map((pair) => `WHEN ${both(pair.columns)} THEN ${ident(pair.columns[side])}::text`).join(' ')} END`;
  const sets = pairs.map((pair) => `(month, ${pair.columns.map(ident).join(', ')})`).join(', ');
  // Counted first per month and combination of all the columns, then summed per pair: each
  // grouping set re-sorts its input, and the combinations are several times fewer than the rows
  // (at 8M crimes, 28 pairs: 233 s without, measured on one year 2.7x faster with).
  const positions = Array.from({ length: count + 1 }, (_, index) => index + 1).join(', ');
  await trx.raw(
    `INSERT INTO ${ROLLUP_TABLES.rows} (dataset, grain, dim, period, value, value2, count)
     SELECT ?, 'month', ${dimSql}, month, ${valueSql(0)}, ${valueSql(1)}, sum(n)
     FROM (SELECT date_trunc('month', ${time}::timestamp)::date AS month${dimValues(model)}, count(*) AS n FROM (${source}) touched GROUP BY ${positions}) s
     GROUP BY GROUPING SETS (${sets})`,
    [model.dataset.key, ...bindings],
  );
}
