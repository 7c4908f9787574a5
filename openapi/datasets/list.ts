import { listOperationId, listPath } from '../../core/datasets/api-names.js';
import { GEO_COLUMNS, type DatasetDefinition } from '../../core/datasets/index.js';
import { listSurface, type ListSurface } from '../../core/datasets/list-surface.js';
import type { DatasetOperation, SpecObject, SpecParts } from './parts.js';
import { filterItems, valueSchema } from './value-schemas.js';

/** Descriptions of the columns Lakefront computes; the definitions describe their own columns. */
const GEO_DESCRIPTIONS: Readonly<Record<string, string>> = {
  [GEO_COLUMNS.zip]:
    "ZIP code whose boundary contains the point, computed by Lakefront from the coordinates (not the portal's); null without coordinates or outside every ZIP.",
  [GEO_COLUMNS.communityArea]:
    'Community area (1-77) whose boundary contains the point, computed by Lakefront from the coordinates; null without coordinates or outside every area.',
};

/**
 * `GET /v1/{key}`: one page of rows (JSON, GeoJSON) or every row (CSV, NDJSON), filtered on the
 * surface the server derives from the same definition (core/datasets/list-surface.ts). Adds the
 * path, the response `<Name>List` and the schemas `<Name>` (one row) and `<Name>Page`.
 */
export const listOperation: DatasetOperation = {
  name: 'list',
  parts: listParts,
};

/** The row filters of a dataset: time range, equality filters, bbox. The aggregate endpoint takes the same. */
export function filterParameters(surface: ListSurface): SpecObject[] {
  const parameters: SpecObject[] = [];
  if (surface.timeColumn) parameters.push({ $ref: '#/components/parameters/From' }, { $ref: '#/components/parameters/To' });
  for (const filter of surface.filters) {
    const items = filter.parameter === 'zip' || filter.parameter === GEO_COLUMNS.zip ? { type: 'string', pattern: '^\\d{5}$' } : filterItems(filter.type);
    const on = filter.column === filter.parameter ? '' : ` (column \`${filter.column}\`)`;
    parameters.push({
      name: filter.parameter,
      in: 'query',
      description: `Only rows whose \`${filter.parameter}\`${on} is one of these values, comma-separated.`,
      style: 'form',
      explode: false,
      // Portal categories hold reserved characters (`Risk 1 (High)`) that encodeURIComponent, and
      // so every generated client, sends unencoded; without this the validator refuses them.
      ...(items.type === 'string' ? { allowReserved: true } : {}),
      schema: { type: 'array', minItems: 1, maxItems: 100, items },
    });
  }
  if (surface.point) parameters.push({ $ref: '#/components/parameters/Bbox' });
  return parameters;
}

function listParts(dataset: DatasetDefinition): SpecParts {
  const surface = listSurface(dataset);
  const name = dataset.schemaName;
  const descriptions = new Map(dataset.columns.map((column) => [column.name, column.description]));
  const properties: Record<string, SpecObject> = {};
  for (const field of surface.fields) {
    const description = descriptions.get(field.name) ?? GEO_DESCRIPTIONS[field.name];
    const schema = valueSchema(field.type, !dataset.primaryKey.includes(field.name));
    properties[field.name] = description ? { description, ...schema } : schema;
  }
  const parameters: SpecObject[] = [
    { $ref: '#/components/parameters/Limit' },
    { $ref: '#/components/parameters/Cursor' },
    { $ref: '#/components/parameters/Count' },
    { $ref: `#/components/parameters/${surface.point ? 'PointListFormat' : 'ListFormat'}` },
    {
      name: 'fields',
      in: 'query',
      description: 'Columns to return, comma-separated (default: all).',
      style: 'form',
      explode: false,
      schema: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: surface.fields.map((field) => field.name) } },
    },
    {
      name: 'order',
      in: 'query',
      description:
        `Sort order, on an indexed column; \`-\` means descending. Default \`${surface.orders[0]!.value}\`. ` +
        'Cursor paging is keyset paging on this order: if a sort value changes while you page (the portal corrects a date), ' +
        'that row can be skipped or seen twice. Ordering by the key is stable; use it when every row must be seen exactly once.',
      schema: { type: 'string', enum: surface.orders.map((order) => order.value), default: surface.orders[0]!.value },
    },
  ];
  parameters.push(...filterParameters(surface));
  const title = dataset.title;
  const timeText = surface.timeColumn ? ` Filter \`from\`/\`to\` on \`${surface.timeColumn}\`.` : '';
  const content: Record<string, SpecObject> = {
    'application/json': { schema: { $ref: `#/components/schemas/${name}Page` } },
    'text/csv': { schema: { type: 'string' } },
    'application/x-ndjson': { schema: { type: 'string' } },
  };
  if (surface.point) content['application/geo+json'] = { schema: { $ref: '#/components/schemas/PointFeatureCollection' } };
  return {
    paths: {
      [listPath(dataset)]: {
        get: {
          operationId: listOperationId(dataset),
          summary: `List ${title}`,
          description:
            `${title} (portal ${dataset.sourceIds.map((id) => `\`${id}\``).join(', ')}), ordered by \`${surface.orders[0]!.value}\` unless \`order\` says otherwise.${timeText} ` +
            'JSON and GeoJSON answer one page; CSV and NDJSON stream every matching row unless `limit` is given.',
          tags: ['data'],
          parameters,
          responses: {
            '200': { $ref: `#/components/responses/${name}List` },
            '304': { $ref: '#/components/responses/NotModified' },
            '400': { $ref: '#/components/responses/BadRequest' },
            '406': { $ref: '#/components/responses/NotAcceptable' },
            default: { $ref: '#/components/responses/Problem' },
          },
        },
      },
    },
    responses: {
      [`${name}List`]: {
        description: `Rows of ${title}.`,
        headers: {
          ETag: { $ref: '#/components/headers/ETag' },
          'Last-Modified': { $ref: '#/components/headers/LastModified' },
          'Cache-Control': { $ref: '#/components/headers/CacheControl' },
          Link: { $ref: '#/components/headers/Link' },
        },
        content,
      },
    },
    schemas: {
      [name]: {
        type: 'object',
        description: `One row of ${title}. Every column is present unless \`fields\` selects fewer; the key (${dataset.primaryKey.map((column) => `\`${column}\``).join(', ')}) always is.`,
        required: [...dataset.primaryKey],
        properties,
      },
      [`${name}Page`]: {
        type: 'object',
        required: ['data', 'next_cursor'],
        properties: {
          data: { type: 'array', items: { $ref: `#/components/schemas/${name}` } },
          next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; `null` on the last page.' },
          total: { type: 'integer', description: 'Rows matching the filters (only with `count=exact`).' },
        },
      },
    },
  };
}
