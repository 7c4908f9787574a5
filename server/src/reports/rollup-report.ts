import type { AppDeps } from '../deps.js';
import { RESPONDED, type Handler, type OperationId } from '../operations.js';
import { parseDateRange } from './report-dates.js';
import { reportBody, reportFormat, reportNotModified, type ReportFormat } from './report-response.js';

/** A report that reads one rollup view, filtered by equality and an optional date range. */
export interface RollupReport {
  /** The materialized view (from core/reports/rollups.ts). */
  readonly view: string;
  /** Datasets whose sync changes the view: they decide ETag and Last-Modified. */
  readonly sources: readonly string[];
  /** Output columns: name → SQL expression over the view's columns (constants, never input). */
  readonly columns: Readonly<Record<string, string>>;
  /** Query parameter → view column, for multi-valued equality filters. */
  readonly filters: Readonly<Record<string, string>>;
  /** View column that `from`/`to` bound (a `date`), if the report has a time axis. */
  readonly dateColumn?: string;
  /** Output columns the rows are sorted by. */
  readonly orderBy: readonly string[];
  /** File name stem of a CSV download, e.g. `crimes-per-capita`. */
  readonly name: string;
  /** Datasets the report needs rows of (`sources`, and `zip-codes` where rows are counted by `geo_zip`). */
  readonly inputs: readonly string[];
}

export function rollupReport<K extends OperationId>({ db }: AppDeps, report: RollupReport): Handler<K> {
  return async ({ query: typedQuery, req, res }) => {
    const query = typedQuery as Record<string, unknown>;
    const range = report.dateColumn ? parseDateRange(query.from as string | undefined, query.to as string | undefined) : {};
    const format = reportFormat(req, query.format as ReportFormat | undefined);
    if (await reportNotModified(db, req, res, report.sources, format)) return RESPONDED;
    const { knex } = db;
    const rows = knex(report.view).select(Object.entries(report.columns).map(([name, sql]) => knex.raw(`${sql} AS ??`, [name])));
    for (const [parameter, column] of Object.entries(report.filters)) {
      const values = query[parameter] as unknown[] | undefined;
      if (values?.length) rows.whereIn(column, values as never[]);
    }
    if (report.dateColumn && range.from) rows.where(report.dateColumn, '>=', range.from);
    if (report.dateColumn && range.to) rows.where(report.dateColumn, '<', range.to);
    const shape = { name: report.name, columns: Object.keys(report.columns), inputs: report.inputs };
    return reportBody<K>(db, res, shape, format, rows.orderBy([...report.orderBy]));
  };
}
