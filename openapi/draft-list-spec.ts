// Development aid, not part of the build: drafts the list operations and row schemas of
// `openapi/lakefront.yaml` from the dataset definitions and the list surface the server derives
// from them. The committed spec is the source of truth; paste (and polish) what this prints.
//   npx tsx openapi/draft-list-spec.ts [dataset-key …]
import { stringify } from 'yaml';
import { datasets, type ColumnType, type DatasetDefinition } from '../core/datasets/index.js';
import { listSurface } from '../core/datasets/list-surface.js';

/** Schema names: the singular of each dataset, so the SDK's types read naturally. */
export const ROW_SCHEMA_NAMES: Readonly<Record<string, string>> = {
  crimes: 'Crime',
  'service-requests': 'ServiceRequest',
  'business-licenses': 'BusinessLicense',
  'traffic-crashes': 'TrafficCrash',
  'taxi-trips': 'TaxiTrip',
  'rideshare-trips': 'RideshareTrip',
  'cta-station-entries': 'CtaStationEntry',
  'cta-stops': 'CtaStop',
  population: 'PopulationCount',
  'zip-codes': 'ZipCode',
  'community-areas': 'CommunityArea',
};

export function operationIdOf(key: string): string {
  return `list${key.split('-').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('')}`;
}

function valueSchema(type: ColumnType, nullable: boolean): Record<string, unknown> {
  const wrap = (schema: Record<string, unknown>) => (nullable ? { oneOf: [schema, { type: 'null' }] } : schema);
  switch (type) {
    case 'text':
      return { type: nullable ? ['string', 'null'] : 'string' };
    case 'integer':
    case 'bigint':
      return { type: nullable ? ['integer', 'null'] : 'integer' };
    case 'numeric':
    case 'double':
      return { type: nullable ? ['number', 'null'] : 'number' };
    case 'boolean':
      return { type: nullable ? ['boolean', 'null'] : 'boolean' };
    case 'timestamp':
      return wrap({ $ref: '#/components/schemas/LocalDateTime' });
    case 'timestamptz':
      return wrap({ $ref: '#/components/schemas/Instant' });
    case 'date':
      return { type: nullable ? ['string', 'null'] : 'string', format: 'date' };
    case 'geometry':
      return { type: nullable ? ['object', 'null'] : 'object', description: 'GeoJSON geometry (WGS84).' };
  }
}

function filterItems(type: ColumnType): Record<string, unknown> {
  if (type === 'integer' || type === 'bigint') return { type: 'integer' };
  if (type === 'numeric' || type === 'double') return { type: 'number' };
  if (type === 'boolean') return { type: 'boolean' };
  return { type: 'string', minLength: 1, maxLength: 200 };
}

function draft(dataset: DatasetDefinition) {
  const surface = listSurface(dataset);
  const name = ROW_SCHEMA_NAMES[dataset.key]!;
  const descriptions = new Map(dataset.columns.map((column) => [column.name, column.description]));
  const properties: Record<string, unknown> = {};
  for (const field of surface.fields) {
    const description =
      descriptions.get(field.name) ??
      (field.name === 'geo_zip'
        ? "ZIP code whose boundary contains the point, computed by Lakefront from the coordinates (not the portal's); null without coordinates or outside every ZIP."
        : undefined) ??
      (field.name === 'geo_community_area'
        ? 'Community area (1-77) whose boundary contains the point, computed by Lakefront from the coordinates; null without coordinates or outside every area.'
        : undefined);
    const schema = valueSchema(field.type, !dataset.primaryKey.includes(field.name));
    properties[field.name] = description ? { description, ...schema } : schema;
  }
  const parameters: unknown[] = [
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
      description: `Sort order, on an indexed column; \`-\` means descending. Default \`${surface.orders[0]!.value}\`.`,
      schema: { type: 'string', enum: surface.orders.map((order) => order.value), default: surface.orders[0]!.value },
    },
  ];
  if (surface.timeColumn) parameters.push({ $ref: '#/components/parameters/From' }, { $ref: '#/components/parameters/To' });
  for (const filter of surface.filters) {
    const items = filter.parameter === 'zip' ? { type: 'string', pattern: '^\\d{5}$' } : filterItems(filter.type);
    const on = filter.column === filter.parameter ? '' : ` (column \`${filter.column}\`)`;
    parameters.push({
      name: filter.parameter,
      in: 'query',
      description: `Only rows whose \`${filter.parameter}\`${on} is one of these values, comma-separated.`,
      style: 'form',
      explode: false,
      schema: { type: 'array', minItems: 1, maxItems: 100, items },
    });
  }
  if (surface.point) parameters.push({ $ref: '#/components/parameters/Bbox' });
  const title = dataset.title;
  const timeText = surface.timeColumn ? ` Filter \`from\`/\`to\` on \`${surface.timeColumn}\`.` : '';
  const content: Record<string, unknown> = {
    'application/json': { schema: { $ref: `#/components/schemas/${name}Page` } },
    'text/csv': { schema: { type: 'string' } },
    'application/x-ndjson': { schema: { type: 'string' } },
  };
  if (surface.point) content['application/geo+json'] = { schema: { $ref: '#/components/schemas/PointFeatureCollection' } };
  const path = {
    [`/v1/${dataset.key}`]: {
      get: {
        operationId: operationIdOf(dataset.key),
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
  };
  const response = {
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
  };
  const schemas = {
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
  };
  return { path, response, schemas };
}

const keys = process.argv.slice(2);
const chosen = keys.length ? datasets.filter((dataset) => keys.includes(dataset.key)) : datasets;
const drafts = chosen.map(draft);
process.stdout.write(
  stringify(
    {
      paths: Object.assign({}, ...drafts.map((item) => item.path)),
      responses: Object.assign({}, ...drafts.map((item) => item.response)),
      schemas: Object.assign({}, ...drafts.map((item) => item.schemas)),
    },
    { lineWidth: 120 },
  ),
);
