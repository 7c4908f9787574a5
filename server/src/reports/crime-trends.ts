import type { AppDeps } from '../deps.js';
import { RESPONDED, type Handler } from '../operations.js';
import { parseDateRange } from './report-dates.js';
import { reportBody, reportFormat, reportNotModified, type ReportShape } from './report-response.js';

/** The rollup and its period column for each allowlisted `interval` (weeks start on Monday). */
const ROLLUPS = {
  day: { view: 'api.crimes_zip_day', period: 'day' },
  week: { view: 'api.crimes_zip_week', period: 'week' },
  month: { view: 'api.crimes_zip_month', period: 'month' },
} as const;

const SHAPE: ReportShape = { name: 'crimes-trends', columns: ['zip', 'period', 'count'], inputs: ['crimes', 'zip-codes'] };

/** Crimes per period in each of the given ZIPs, read from the per-ZIP rollup of that interval. Periods without crimes are absent. */
export function getCrimeTrends({ db }: AppDeps): Handler<'getCrimeTrends'> {
  return async ({ query, req, res }) => {
    const { from, to } = parseDateRange(query.from, query.to);
    const format = reportFormat(req, query.format);
    if (await reportNotModified(db, req, res, ['crimes'], format)) return RESPONDED;
    const { view, period } = ROLLUPS[query.interval ?? 'month'];
    const rows = db.knex(view).select('zip', `${period} as period`, 'count').whereIn('zip', query.zip);
    // A period is in the range when it starts in it (as for the monthly reports).
    if (from) rows.where(period, '>=', from);
    if (to) rows.where(period, '<', to);
    return reportBody(db, res, SHAPE, format, rows.orderBy(['zip', period]));
  };
}
