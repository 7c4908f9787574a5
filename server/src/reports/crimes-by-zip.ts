import type { Knex } from 'knex';
import type { AppDeps } from '../deps.js';
import { RESPONDED, type Handler } from '../operations.js';
import { coarsestPieces, nextPeriod, parseDateRange, type Grain } from './report-dates.js';
import { reportBody, reportFormat, reportNotModified, type ReportShape } from './report-response.js';

/** The rollup holding each grain, and its time column. */
const ROLLUP_OF = {
  day: { table: 'api.crimes_zip_type_day', column: 'day' },
  month: { table: 'api.crimes_zip_type_month', column: 'month' },
  year: { table: 'api.crimes_zip_type_year', column: 'year' },
} as const;

const SHAPE: ReportShape = { name: 'crimes-by-zip', columns: ['zip', 'primary_type', 'count'], inputs: ['crimes', 'zip-codes'] };

/**
 * Crimes per ZIP and primary type in [from, to). Whole years are read from the yearly rollup,
 * whole months from the monthly one and only the odd days at either end from the daily one, so
 * any range costs at most a few thousand rollup rows, never the raw table.
 */
export function getCrimesByZip({ db }: AppDeps): Handler<'getCrimesByZip'> {
  return async ({ query, req, res }) => {
    const { from, to } = parseDateRange(query.from, query.to) as { from: string; to: string };
    const format = reportFormat(req, query.format);
    if (await reportNotModified(db, req, res, ['crimes'], format)) return RESPONDED;
    const { knex } = db;
    const pieces = coarsestPieces(from, to);
    const rowsOf = (grain: Grain, where: (rows: Knex.QueryBuilder, column: string) => void) => {
      const { table, column } = ROLLUP_OF[grain];
      const rows = knex(table).select('zip', 'primary_type', 'count');
      where(rows, column);
      if (query.primary_type?.length) rows.whereIn('primary_type', query.primary_type);
      if (query.zip?.length) rows.whereIn('zip', query.zip);
      return rows;
    };
    const [only] = pieces;
    // One whole year, month or day (the usual question): its rollup has one row per ZIP and type,
    // read in key order from the rollup's index, with no aggregation and no sort.
    if (pieces.length === 1 && only && only.end === nextPeriod(only.grain, only.start)) {
      return reportBody(db, res, SHAPE, format, rowsOf(only.grain, (rows, column) => void rows.where(column, only.start)).orderBy(['zip', 'primary_type']));
    }
    const parts = pieces.map(({ grain, start, end }) => rowsOf(grain, (rows, column) => void rows.where(column, '>=', start).where(column, '<', end)));
    const counts = knex
      .from(knex.unionAll(parts, true).as('p'))
      .select('zip', 'primary_type')
      .select(knex.raw('sum(count)::int AS count'))
      .groupBy('zip', 'primary_type')
      .orderBy(['zip', 'primary_type']);
    return reportBody(db, res, SHAPE, format, counts);
  };
}
