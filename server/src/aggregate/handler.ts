import { aggregateModel } from '../../../core/aggregate/model.js';
import type { DatasetDefinition } from '../../../core/datasets/index.js';
import { listSurface } from '../../../core/datasets/list-surface.js';
import { chooseFormat, csvLine, MEDIA_TYPES } from '../datasets-api/formats.js';
import { attachment } from '../download-name.js';
import { answerFromCache, dataVersionOf } from '../datasets-api/freshness.js';
import type { AppDeps } from '../deps.js';
import { RESPONDED, type Handler, type JsonBodyOf, type OperationId } from '../operations.js';
import { HttpProblem } from '../problems.js';
import { runAggregate, type AggregateAnswer } from './query.js';
import { outputFieldsOf, readAggregateRequest, type AggregateRequest } from './request.js';

const STATEMENT_TIMEOUT = '57014';

/**
 * `GET /v1/{key}/aggregate` for any dataset, driven by its definition: `{ data, truncated }` as
 * JSON, or the same rows as CSV or NDJSON (then the `Truncated` header says whether groups were
 * left out). Validators come from the dataset's last sync, like the list's.
 */
export function aggregateDataset<K extends OperationId>({ db }: AppDeps, dataset: DatasetDefinition): Handler<K> {
  const model = aggregateModel(dataset);
  const surface = listSurface(dataset);
  return async ({ query: typedQuery, req, res }) => {
    const query = typedQuery as Record<string, unknown>;
    const format = chooseFormat(req, query.format as string | undefined, false);
    const request = readAggregateRequest(model, surface, query);
    if (answerFromCache(req, res, await dataVersionOf(db.knex, [dataset.key]), format)) return RESPONDED;
    let answer: AggregateAnswer;
    try {
      answer = await runAggregate(db.knex, model, surface, request);
    } catch (error) {
      if ((error as { code?: unknown }).code === STATEMENT_TIMEOUT) throw tooSlow(request);
      throw error;
    }
    res.setHeader('Truncated', String(answer.truncated));
    if (format === 'json') return { data: answer.data, truncated: answer.truncated } as JsonBodyOf<K>;
    const fields = outputFieldsOf(request);
    if (format === 'csv') res.setHeader('Content-Disposition', attachment(`${dataset.key}-aggregate`, 'csv'));
    res.type(MEDIA_TYPES[format]);
    res.send(
      format === 'csv'
        ? csvLine(fields) + answer.data.map((row) => csvLine(fields.map((field) => row[field]))).join('')
        : answer.data.map((row) => `${JSON.stringify(row)}\n`).join(''),
    );
    return RESPONDED;
  };
}

/** The 503 for a grouping the database gave up on, with what would make it cheap. */
function tooSlow(request: AggregateRequest): HttpProblem {
  const advice = [
    !request.filters.range.from || !request.filters.range.to ? 'a shorter from/to range' : 'a shorter from/to range (whole days or months)',
    request.groupBy.length > 1 ? 'fewer group_by columns (up to two grouped or filtered columns, with count only, are served from rollups; for two, by month at the finest)' : undefined,
    request.measures.length ? 'no sum/avg/min/max (count alone is served from rollups)' : undefined,
    request.filters.bbox ? 'no bbox' : undefined,
    'a category filter',
  ].filter(Boolean);
  return new HttpProblem(503, 'Service Unavailable', `This aggregate took too long and was cancelled. Narrow it: ${advice.join('; ')}.`);
}
