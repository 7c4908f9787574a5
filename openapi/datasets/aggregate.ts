import {
  aggregateModel,
  bucketField,
  DEFAULT_LIMIT,
  DEFAULT_ORDER,
  MAX_GROUPS,
  MAX_LIMIT,
  MEASURES,
  measureField,
  possibleFields,
} from '../../core/aggregate/model.js';
import { aggregateOperationId, aggregatePath } from '../../core/datasets/api-names.js';
import type { DatasetDefinition } from '../../core/datasets/index.js';
import { listSurface } from '../../core/datasets/list-surface.js';
import { filterParameters } from './list.js';
import type { DatasetOperation, SpecObject, SpecParts } from './parts.js';
import { valueSchema } from './value-schemas.js';

/**
 * `GET /v1/{key}/aggregate`: grouped counts (and sums, averages, minima, maxima) over the rows the
 * list's filters select, described from the model the server answers with
 * (core/aggregate/model.ts). Adds the path, the response `<Name>Aggregate` and the schemas
 * `<Name>AggregateRow` and `<Name>Aggregates`.
 */
export const aggregateOperation: DatasetOperation = {
  name: 'aggregate',
  parts: aggregateParts,
};

const MEASURE_WORDS = { sum: 'Sum', avg: 'Average', min: 'Minimum', max: 'Maximum' } as const;

function aggregateParts(dataset: DatasetDefinition): SpecParts {
  const model = aggregateModel(dataset);
  const surface = listSurface(dataset);
  const name = `${dataset.schemaName}Aggregate`;
  const groupable = model.groupable.map((column) => column.name);
  const [firstGroup] = groupable;
  const parameters: SpecObject[] = [];
  if (groupable.length) {
    parameters.push({
      name: 'group_by',
      in: 'query',
      description: `Up to ${MAX_GROUPS} columns to group by, comma-separated. Each distinct combination is one row; NULL is a group of its own.`,
      style: 'form',
      explode: false,
      schema: { type: 'array', minItems: 1, maxItems: MAX_GROUPS, uniqueItems: true, items: { type: 'string', enum: groupable } },
      example: [firstGroup],
    });
  }
  if (model.buckets.length) {
    parameters.push({
      name: 'bucket',
      in: 'query',
      description:
        `Also group by \`${model.time!.name}\` (Chicago local time): \`year\`, \`quarter\`, \`month\`, \`week\` (from Monday) or \`day\` ` +
        'answer `period`, the first day of the bucket (`YYYY-MM-DD`); `dow` answers 1 (Monday) to 7' +
        (model.buckets.includes('hour') ? '; `hour` answers 0 to 23.' : '.'),
      schema: { type: 'string', enum: [...model.buckets] },
      example: 'month',
    });
  }
  if (model.numeric.length) {
    for (const measure of MEASURES) {
      parameters.push({
        name: measure,
        in: 'query',
        description: `${MEASURE_WORDS[measure]} of these numeric columns per group, comma-separated; answered as \`${measure}_<column>\` (null when every value is null).`,
        style: 'form',
        explode: false,
        schema: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...model.numeric] } },
      });
    }
  }
  const fields = possibleFields(model);
  parameters.push(
    {
      name: 'order',
      in: 'query',
      description: `A field of the answer to sort by; \`-\` means descending. NULL groups come last. Default \`${DEFAULT_ORDER}\`.`,
      schema: { type: 'string', enum: fields.flatMap((field) => [field, `-${field}`]), default: DEFAULT_ORDER },
    },
    {
      name: 'limit',
      in: 'query',
      description: 'Most groups to answer; `truncated` tells when there were more.',
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
    },
    {
      name: 'format',
      in: 'query',
      description: 'Answer format; overrides `Accept`.',
      schema: { type: 'string', enum: ['json', 'csv', 'ndjson'] },
    },
    ...filterParameters(surface),
  );

  const properties: Record<string, SpecObject> = {};
  for (const column of model.groupable) properties[column.name] = { description: `Group value (when grouped by \`${column.name}\`).`, ...valueSchema(column.type, true) };
  const bucketFields = new Set(model.buckets.map(bucketField));
  if (bucketFields.has('period')) properties.period = { description: 'First day of the bucket, Chicago local date (with a calendar `bucket`).', type: ['string', 'null'], format: 'date' };
  if (bucketFields.has('dow')) properties.dow = { description: 'Day of the week, 1 (Monday) to 7 (with `bucket=dow`).', type: ['integer', 'null'], minimum: 1, maximum: 7 };
  if (bucketFields.has('hour')) properties.hour = { description: 'Hour of the day, 0 to 23 (with `bucket=hour`).', type: ['integer', 'null'], minimum: 0, maximum: 23 };
  properties.count = { description: 'Rows in the group.', type: 'integer', minimum: 0 };
  for (const measure of MEASURES) {
    for (const column of model.numeric) properties[measureField(measure, column)] = { description: `${MEASURE_WORDS[measure]} of \`${column}\` (with \`${measure}=${column}\`).`, type: ['number', 'null'] };
  }

  const title = dataset.title;
  const exampleQuery = [
    firstGroup ? `group_by=${firstGroup}` : undefined,
    model.buckets.includes('month') ? 'bucket=month' : undefined,
    model.time ? 'from=2024-01-01' : undefined,
  ].filter(Boolean);
  const example = `${aggregatePath(dataset)}${exampleQuery.length ? `?${exampleQuery.join('&')}` : ''}`;
  return {
    paths: {
      [aggregatePath(dataset)]: {
        get: {
          operationId: aggregateOperationId(dataset),
          summary: `Grouped counts of ${title}`,
          description:
            `Counts (and optionally sums, averages, minima and maxima) of ${title} per group, over the rows the list's filters select: ` +
            `the totals of \`count\` equal the list's \`total\` under the same filters. For example \`${example}\`. ` +
            'Common shapes (one column, whole days or months, count only) are served from rollups kept current after every sync; ' +
            'others are computed from the table, and one that would take too long is answered 503 with advice to narrow it.',
          tags: ['data'],
          parameters,
          responses: {
            '200': { $ref: `#/components/responses/${name}` },
            '304': { $ref: '#/components/responses/NotModified' },
            '400': { $ref: '#/components/responses/BadRequest' },
            '406': { $ref: '#/components/responses/NotAcceptable' },
            '503': { $ref: '#/components/responses/Unavailable' },
            default: { $ref: '#/components/responses/Problem' },
          },
        },
      },
    },
    responses: {
      [name]: {
        description: `Groups of ${title}, largest first unless \`order\` says otherwise.`,
        headers: {
          ETag: { $ref: '#/components/headers/ETag' },
          'Last-Modified': { $ref: '#/components/headers/LastModified' },
          'Cache-Control': { $ref: '#/components/headers/CacheControl' },
          Truncated: { description: 'Whether more groups matched than `limit` allowed (as `truncated` in JSON).', schema: { type: 'string', enum: ['true', 'false'] } },
        },
        content: {
          'application/json': { schema: { $ref: `#/components/schemas/${name}s` } },
          'text/csv': { schema: { type: 'string' } },
          'application/x-ndjson': { schema: { type: 'string' } },
        },
      },
    },
    schemas: {
      [`${name}Row`]: {
        type: 'object',
        description: `One group of ${title}: the fields it was grouped by, \`count\`, and the measures asked for.`,
        required: ['count'],
        additionalProperties: false,
        properties,
      },
      [`${name}s`]: {
        type: 'object',
        required: ['data', 'truncated'],
        properties: {
          data: { type: 'array', items: { $ref: `#/components/schemas/${name}Row` } },
          truncated: { type: 'boolean', description: 'More groups matched than `limit` allowed.' },
        },
      },
    },
  };
}
