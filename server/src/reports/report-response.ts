import { sharedWork } from '../middleware/abandoned-work.js';
import { runSelect } from '../../../core/db/run-select.js';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { findDataset } from '../../../core/datasets/index.js';
import type { Database } from '../../../core/db/connect.js';
import { rollupsVersionKey } from '../../../core/db/data-version.js';
import { answerFromCache, DATA_VERSION_REUSE_MS, dataVersionOf } from '../datasets-api/freshness.js';
import { csvLine, csvRows, MEDIA_TYPES } from '../datasets-api/formats.js';
import { etagOf, renderedCache } from '../datasets-api/rendered-cache.js';
import { attachment } from '../download-name.js';
import { JsonText, RESPONDED, type OperationId } from '../operations.js';
import { HttpProblem } from '../problems.js';

export type ReportFormat = 'json' | 'csv';

/** What a report is, beyond its query: for file names, CSV headers and the `missing_inputs` field. */
export interface ReportShape {
  /** File name stem of a CSV download, e.g. `crimes-by-zip`. */
  readonly name: string;
  /** Output columns, in order: the CSV header (a CSV of no rows still has it). */
  readonly columns: readonly string[];
  /** Datasets the report is computed from; any of them without rows makes it incomplete. */
  readonly inputs: readonly string[];
}

/** `format=` wins over `Accept`; without either (or with `*\/*`) the answer is JSON. */
export function reportFormat(req: Request, format: string | undefined): ReportFormat {
  if (format) return format as ReportFormat;
  if (!req.headers.accept) return 'json';
  const preferred = req.accepts(['application/json', 'text/csv']);
  if (!preferred) throw new HttpProblem(406, 'Not Acceptable', 'Available as application/json, text/csv (or use format=).');
  return preferred === 'text/csv' ? 'csv' : 'json';
}

/**
 * Reports change when a source dataset is written or its rollups are refreshed: they get the same
 * ETag / Last-Modified / 304 handling as the lists, keyed on both versions. Returns true when a
 * 304 has been sent.
 */
export async function reportNotModified(db: Database, req: Request, res: Response, sources: readonly string[], format: ReportFormat = 'json'): Promise<boolean> {
  return answerFromCache(req, res, await dataVersionOf(db.knex, [...sources, ...sources.map(rollupsVersionKey)]), format);
}

/**
 * The report's rows, already filtered and ordered by the query: `{ "data": [...] }` (with
 * `missing_inputs` when an input dataset is empty), or CSV with a header line; rendered once per
 * ETag, that is per data version, URL and format (rendered-cache.ts). Serialized here,
 * not by PostgreSQL: its row_to_json cost about 1.7 µs per row, more than reading the rows and
 * JSON.stringify together (by-zip for a year under bench:api's load, CPU read from /proc:
 * PostgreSQL 4.0 ms per request with row_to_json, 1.8 ms without; Node 1.3 ms, then 1.7 ms).
 */
export async function reportBody<K extends OperationId>(
  db: Database,
  res: Response,
  shape: ReportShape,
  format: ReportFormat,
  rows: Knex.QueryBuilder,
): Promise<JsonText<K> | typeof RESPONDED> {
  // The rows are kept by ETag (rendered-cache.ts); which inputs are empty is read apart, as it
  // may change without the sources' version (a first sync of zip-codes).
  const render = async () => {
    const data = await runSelect(db.knex, rows);
    return { text: format === 'csv' ? csvRows(data, shape.columns) : JSON.stringify(data) };
  };
  const [{ text }, missing] = await Promise.all([renderedCache(db.knex).answer(etagOf(res), render), missingInputs(db.knex, shape.inputs)]);
  if (format === 'csv') {
    res.type(MEDIA_TYPES.csv).setHeader('Content-Disposition', attachment(shape.name, 'csv'));
    res.send(csvLine(shape.columns) + text);
    return RESPONDED;
  }
  return new JsonText<K>(`{"data":${text}${missing.length ? `,"missing_inputs":${JSON.stringify(missing)}` : ''}}`);
}

/** How long a check for empty inputs is reused: rows arrive by syncs, minutes apart (as long as the data version is). */
const INPUTS_REUSE_MS = DATA_VERSION_REUSE_MS;
const inputChecks = new WeakMap<Knex, Map<string, { missing: Promise<string[]>; until: number }>>();

/** The input datasets that hold no rows, read through the API's views (one cheap EXISTS each). */
function missingInputs(knex: Knex, inputs: readonly string[]): Promise<string[]> {
  let cache = inputChecks.get(knex);
  if (!cache) inputChecks.set(knex, (cache = new Map()));
  const key = inputs.join(',');
  const cached = cache.get(key);
  if (cached && cached.until > Date.now()) return cached.missing;
  const tables = inputs.map((input) => findDataset(input)!.table);
  const probes = tables.map((table, index) => `EXISTS (SELECT 1 FROM api.${table}) AS "${index}"`).join(', ');
  // Started (`then`) inside sharedWork: a knex query runs when it is first awaited.
  const missing = sharedWork(() =>
    knex.raw(`SELECT ${probes}`).then(({ rows }: { rows: Record<string, boolean>[] }) => inputs.filter((_input, index) => !rows[0]![String(index)])),
  );
  cache.set(key, { missing, until: Date.now() + INPUTS_REUSE_MS });
  missing.catch(() => cache.delete(key));
  return missing;
}
