import type { AppDeps } from '../deps.js';
import { RESPONDED, type Handler } from '../operations.js';
import { coarsestPieces, parseDateRange } from './report-dates.js';
import { reportBody, reportNotModified } from './report-response.js';

/** The rollup holding each grain, and its time column. */
const ROLLUP_OF = {
  day: { table: 'api.crimes_zip_type_day', column: 'day' },
  month: { table: 'api.crimes_zip_type_month', column: 'month' },
  year: { table: 'api.crimes_zip_type_year', column: 'year' },
} as const;

/**
 * Crimes per ZIP and primary type in [from, to). Whole years are read from the yearly rollup,
 * whole months from the monthly one and only the odd days at either end from the daily one, so
 * any range costs at most a few thousand rollup rows, never the raw table.
 */
export function getCrimesByZip({ db }: AppDeps): Handler<'getCrimesByZip'> {
  return async ({ query, req, res }) => {
    const { from, to } = parseDateRange(query.from, query.to) as { from: string; to: string };
    if (await reportNotModified(db, req, res, ['crimes'])) return RESPONDED;
    const { knex } = db;
    const parts = coarsestPieces(from, to).map(({ grain, start, end }) => {
      const { table, column } = ROLLUP_OF[grain];
      const rows = knex(table).select('zip', 'primary_type', 'count').where(column, '>=', start).where(column, '<', end);
      if (query.primary_type?.length) rows.whereIn('primary_type', query.primary_type);
      if (query.zip?.length) rows.whereIn('zip', query.zip);
      return rows;
    });
    const counts = knex.from(knex.unionAll(parts, true).as('p')).select('zip', 'primary_type').select(knex.raw('sum(count)::int AS count')).groupBy('zip', 'primary_type');
    return reportBody(knex, counts, ['zip', 'primary_type']);
  };
}
