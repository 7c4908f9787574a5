import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets, type ColumnType, type DatasetDefinition } from '../../core/datasets/index.js';
import { startServer, type LiveServer } from './helpers.js';

/**
 * The spec is the clients' contract and is generated from the dataset definitions. This test
 * reads the spec the server serves (`/openapi.json`) and checks each dataset's part against its
 * definition, column by column, with expectations written here from the definition alone (not
 * with the generator's code). Each side is rendered as lines, so a mismatch reads as a line diff.
 */

type Json = Record<string, any>;

/** How each column type must appear in a row schema. */
const EXPECTED_VALUE: Readonly<Record<ColumnType, string>> = {
  text: 'string',
  integer: 'integer',
  bigint: 'integer',
  numeric: 'number',
  double: 'number',
  boolean: 'boolean',
  timestamp: 'LocalDateTime',
  timestamptz: 'Instant',
  date: 'string format date',
  geometry: 'object',
};

/** How a filter on each column type must type its comma-separated values. */
const EXPECTED_FILTER_ITEM: Readonly<Record<ColumnType, string>> = {
  text: 'string',
  integer: 'integer',
  bigint: 'integer',
  numeric: 'number',
  double: 'number',
  boolean: 'boolean',
  timestamp: 'string',
  timestamptz: 'string',
  date: 'string',
  geometry: 'string',
};

/** The definition as the spec must state it. */
function definitionView(dataset: DatasetDefinition): string[] {
  const columns = dataset.columns.map((column) => ({ name: column.name, type: column.type }));
  const ZIP_FILTER = 'filter zip: string pattern ^\\d{5}$';
  const filters = (dataset.filters ?? []).map((name) => {
    const column = columns.find((item) => item.name === name)!;
    // A `zip` filter takes five-digit ZIP codes, whichever column it reads.
    return name === 'zip' ? ZIP_FILTER : `filter ${name}: ${EXPECTED_FILTER_ITEM[column.type]}`;
  });
  if (dataset.point) {
    // Points are enriched with the ZIP and community area that contain them, and filterable on both.
    columns.push({ name: 'geo_zip', type: 'text' }, { name: 'geo_community_area', type: 'integer' });
    if (!dataset.filters?.includes('zip')) filters.push(ZIP_FILTER);
    if (!dataset.filters?.includes('community_area')) {
      const own = dataset.columns.find((column) => column.name === 'community_area');
      filters.push(`filter community_area: ${EXPECTED_FILTER_ITEM[own ? own.type : 'integer']}`);
    }
    filters.push('filter geo_zip: string pattern ^\\d{5}$', 'filter geo_community_area: integer');
  }
  const key = dataset.primaryKey;
  const orders: string[] = [];
  if (dataset.timeColumn) orders.push(`-${dataset.timeColumn}`, dataset.timeColumn);
  if (key[0] !== dataset.timeColumn) orders.push(key[0]!, `-${key[0]}`);
  const formats = dataset.point ? ['json', 'csv', 'ndjson', 'geojson'] : ['json', 'csv', 'ndjson'];
  const media = ['application/json', 'text/csv', 'application/x-ndjson', ...(dataset.point ? ['application/geo+json'] : [])];
  return [
    `GET /v1/${dataset.key}: row schema ${dataset.schemaName}`,
    ...columns.map((column) =>
      key.includes(column.name)
        ? `column ${column.name}: ${EXPECTED_VALUE[column.type]}, key (required, not null)`
        : `column ${column.name}: ${EXPECTED_VALUE[column.type]}, nullable`,
    ),
    `fields: ${columns.map((column) => column.name).join(' ')}`,
    ...filters,
    `time range: ${dataset.timeColumn ? `from/to on ${dataset.timeColumn}` : 'none'}`,
    `bbox: ${dataset.point ? 'yes' : 'no'}`,
    `order: ${orders.join(' ')} (default ${orders[0]})`,
    `formats: ${formats.join(' ')}`,
    `media types: ${media.join(' ')}`,
  ];
}

/** What the served spec states for one dataset, in the same lines. */
function specView(spec: Json, dataset: DatasetDefinition): string[] {
  const resolve = (node: Json): Json => {
    if (typeof node?.$ref !== 'string') return node;
    const target = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((at: Json | undefined, part: string) => at?.[part], spec);
    if (!target) throw new Error(`unresolved ${node.$ref}`);
    return resolve(target);
  };
  const refName = (node: Json | undefined): string | undefined => node?.$ref?.split('/').pop();
  const operation = spec.paths?.[`/v1/${dataset.key}`]?.get as Json | undefined;
  if (!operation) return [`GET /v1/${dataset.key}: missing from the spec`];
  const ok = resolve(operation.responses['200']);
  const page = ok.content?.['application/json']?.schema;
  const rowName = refName(resolve(page).properties?.data?.items);
  const row = resolve(spec.components.schemas[rowName ?? ''] ?? {});
  const required: string[] = row.required ?? [];
  const value = (schema: Json): { text: string; nullable: boolean } => {
    if (Array.isArray(schema.oneOf)) {
      const nonNull = schema.oneOf.filter((option: Json) => option.type !== 'null');
      return { text: nonNull.map((option: Json) => refName(option) ?? value(option).text).join('|'), nullable: nonNull.length < schema.oneOf.length };
    }
    if (schema.$ref) return { text: refName(schema)!, nullable: false };
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const base = types.filter((type) => type !== 'null').join('|');
    return { text: schema.format ? `${base} format ${schema.format}` : base, nullable: types.includes('null') };
  };
  const columns = Object.entries<Json>(row.properties ?? {}).map(([name, schema]) => {
    const { text, nullable } = value(schema);
    if (required.includes(name) && !nullable) return `column ${name}: ${text}, key (required, not null)`;
    return `column ${name}: ${text}, ${nullable ? 'nullable' : 'not null'}${required.includes(name) ? ', required' : ''}`;
  });
  const parameters: Json[] = (operation.parameters ?? []).map(resolve);
  const parameter = (name: string) => parameters.find((item) => item.name === name);
  const common = new Set(['limit', 'cursor', 'count', 'format', 'fields', 'order', 'from', 'to', 'bbox']);
  const filters = parameters
    .filter((item) => !common.has(item.name))
    .map((item) => {
      const items = resolve(item.schema?.items ?? {});
      return `filter ${item.name}: ${items.type}${items.pattern ? ` pattern ${items.pattern}` : ''}`;
    });
  const from = parameter('from');
  const timeColumn = /`from`\/`to` on `([^`]+)`/.exec(operation.description ?? '')?.[1];
  const order = resolve(parameter('order')?.schema ?? {});
  return [
    `GET /v1/${dataset.key}: row schema ${rowName}`,
    ...columns,
    `fields: ${(resolve(parameter('fields')?.schema ?? {}).items?.enum ?? []).join(' ')}`,
    ...filters,
    `time range: ${from && parameter('to') ? `from/to on ${timeColumn}` : 'none'}`,
    `bbox: ${parameter('bbox') ? 'yes' : 'no'}`,
    `order: ${(order.enum ?? []).join(' ')} (default ${order.default})`,
    `formats: ${(resolve(parameter('format')?.schema ?? {}).enum ?? []).join(' ')}`,
    `media types: ${Object.keys(ok.content ?? {}).join(' ')}`,
  ];
}

describe('the served spec states every dataset as its definition does', () => {
  let server: LiveServer;
  let spec: Json;

  beforeAll(async () => {
    server = await startServer();
    const response = await server.get('/openapi.json');
    expect(response.status).toBe(200);
    spec = response.body;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(datasets.map((dataset) => [dataset.key, dataset] as const))('%s', (_key, dataset) => {
    expect(specView(spec, dataset)).toEqual(definitionView(dataset));
  });

  it('has a list path for every definition and none without one', () => {
    const listPaths = Object.keys(spec.paths).filter((path) => /^\/v1\/[a-z0-9-]+$/.test(path) && path !== '/v1/datasets');
    expect(listPaths.sort()).toEqual(datasets.map((dataset) => `/v1/${dataset.key}`).sort());
  });

  it('names the column, the filter and the order that differ, line by line', () => {
    const crimes = datasets.find((dataset) => dataset.key === 'crimes')!;
    const altered = structuredClone(spec);
    altered.components.schemas.Crime.properties.ward = { type: ['string', 'null'] };
    const operation = altered.paths['/v1/crimes'].get;
    operation.parameters = operation.parameters.filter((parameter: Json) => parameter.name !== 'arrest');
    operation.parameters.find((parameter: Json) => parameter.name === 'order').schema.enum = ['-date', 'date'];
    const actual = specView(altered, crimes);
    const expected = definitionView(crimes);
    expect(actual.filter((line) => !expected.includes(line))).toEqual([
      'column ward: string, nullable',
      'order: -date date (default -date)',
    ]);
    expect(expected.filter((line) => !actual.includes(line))).toEqual([
      'column ward: integer, nullable',
      'filter arrest: boolean',
      'order: -date date id -id (default -date)',
    ]);
  });
});
