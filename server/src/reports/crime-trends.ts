import type { AppDeps } from '../deps.js';
import { RESPONDED, type Handler } from '../operations.js';
import { parseDateRange } from './report-dates.js';
import { reportNotModified } from './report-response.js';

/** `date_trunc` units, keyed by the allowlisted `interval` values (weeks start on Monday). */
const UNITS = { day: 'day', week: 'week', month: 'month' } as const;

/** Crimes per period for one ZIP, from the per-ZIP daily rollup (at most ~9,000 rows per ZIP). Periods without crimes are absent. */
export function getCrimeTrends({ db }: AppDeps): Handler<'getCrimeTrends'> {
  return async ({ query, req, res }) => {
    const { from, to } = parseDateRange(query.from, query.to);
    if (await reportNotModified(db, req, res, ['crimes'])) return RESPONDED;
    const { knex } = db;
    const period = knex.raw(`date_trunc('${UNITS[query.interval]}', day)::date`);
    const rows = knex('api.crimes_zip_day').where('zip', query.zip);
    if (from) rows.where('day', '>=', from);
    if (to) rows.where('day', '<', to);
    const data = await rows
      .select('zip', knex.raw('? AS period', [period]), knex.raw('sum(count)::int AS count'))
      .groupBy('zip', period)
      .orderBy('period');
    return { data };
  };
}
