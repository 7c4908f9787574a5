import type { AppDeps } from '../deps.js';
import { RESPONDED, type Handler } from '../operations.js';
import { monthStartOnOrAfter, monthStartOnOrBefore, parseDateRange } from './report-dates.js';
import { reportNotModified } from './report-response.js';

/**
 * Crimes per ZIP and primary type in [from, to). Whole months are read from the monthly rollup
 * and only the partial months at either end from the daily one, so a year costs a few thousand
 * rollup rows, never the raw table.
 */
export function getCrimesByZip({ db }: AppDeps): Handler<'getCrimesByZip'> {
  return async ({ query, req, res }) => {
    const { from, to } = parseDateRange(query.from, query.to) as { from: string; to: string };
    if (await reportNotModified(db, req, res, ['crimes'])) return RESPONDED;
    const { knex } = db;
    const firstMonth = monthStartOnOrAfter(from);
    const endMonth = monthStartOnOrBefore(to);
    const filter = (rows: ReturnType<typeof knex>) => {
      if (query.primary_type?.length) rows.whereIn('primary_type', query.primary_type);
      if (query.zip?.length) rows.whereIn('zip', query.zip);
      return rows;
    };
    const days = (start: string, end: string) =>
      filter(knex('api.crimes_zip_type_day').select('zip', 'primary_type', 'count').where('day', '>=', start).where('day', '<', end));
    const parts =
      firstMonth < endMonth
        ? [
            filter(knex('api.crimes_zip_type_month').select('zip', 'primary_type', 'count').where('month', '>=', firstMonth).where('month', '<', endMonth)),
            ...(from < firstMonth ? [days(from, firstMonth)] : []),
            ...(endMonth < to ? [days(endMonth, to)] : []),
          ]
        : [days(from, to)];
    const data = await knex
      .from(knex.unionAll(parts, true).as('r'))
      .select('zip', 'primary_type')
      .select(knex.raw('sum(count)::int AS count'))
      .groupBy('zip', 'primary_type')
      .orderBy([{ column: 'zip' }, { column: 'primary_type' }]);
    return { data };
  };
}
