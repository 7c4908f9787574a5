import type { Knex } from 'knex';
import { aggregateModel, type AggregateModel } from '../../../core/aggregate/model.js';
import type { DatasetDefinition } from '../../../core/datasets/index.js';
import { listSurface, type ListSurface } from '../../../core/datasets/list-surface.js';
import { chooseFormat, csvLine, csvRows, MEDIA_TYPES, type ListFormat } from '../datasets-api/formats.js';
import { attachment } from '../download-name.js';
import { answerFromCache, dataVersionOf } from '../datasets-api/freshness.js';
import { etagOf, renderedCache } from '../datasets-api/rendered-cache.js';
import type { AppDeps } from '../deps.js';
import { JsonText, RESPONDED, type Handler, type OperationId } from '../operations.js';
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
    // Rendered once per ETag (data version, URL, format): rendered-cache.ts.
    const { text, truncated } = await renderedCache(db.knex).answer(etagOf(res), async () => {
      const answer = await aggregateOf(db.knex, model, surface, request);
      return { text: render(answer, format, outputFieldsOf(request)), truncated: answer.truncated };
    });
    res.setHeader('Truncated', String(truncated));
    if (format === 'json') return new JsonText<K>(text);
    if (format === 'csv') res.setHeader('Content-Disposition', attachment(`${dataset.key}-aggregate`, 'csv'));
    res.type(MEDIA_TYPES[format]).send(text);
    return RESPONDED;
  };
}

async function aggregateOf(knex: Knex, model: AggregateModel, surface: ListSurface, request: AggregateRequest): Promise<AggregateAnswer> {
  try {
    return await runAggregate(knex, model, surface, request);
  } catch (error) {
    if ((error as { code?: unknown }).code === STATEMENT_TIMEOUT) throw tooSlow(request);
    throw error;
  }
}

function render(answer: AggregateAnswer, format: ListFormat, fields: readonly string[]): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ data: answer.data, truncated: answer.truncated });
    case 'csv':
      return csvLine(fields) + csvRows(answer.data, fields);
    default:
      return answer.data.map((row) => `${JSON.stringify(row)}\n`).join('');
  }
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
