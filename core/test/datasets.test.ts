import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSample } from '../../ingest/load-sample.js';
import { mapSodaRow } from '../../ingest/soda-values.js';
import { datasets, findDataset, GEO_COLUMNS, SYSTEM_COLUMNS, type ColumnType, type DatasetDefinition } from '../datasets/index.js';
import type { Database } from '../db/connect.js';
import { readSodaFixture } from '../testing/fixtures.js';
import { createTestDatabase } from '../testing/test-database.js';
import { schemaExampleRows } from './schema-example-rows.js';

/** information_schema.columns.data_type for each definition type. */
const POSTGRES_TYPE: Record<ColumnType, string> = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  double: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  date: 'date',
  geometry: 'jsonb',
};

let db: Database;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

async function columnsOf(schema: string, table: string): Promise<{ name: string; type: string }[]> {
  const rows = (await db.knex('information_schema.columns')
    .select({ name: 'column_name', type: 'data_type' })
    .where({ table_schema: schema, table_name: table })
    .orderBy('ordinal_position')) as { name: string; type: string }[];
  return rows;
}

function geoColumns(dataset: DatasetDefinition): { name: string; type: string }[] {
  if (!dataset.point) return [];
  return [
    { name: GEO_COLUMNS.zip, type: 'text' },
    { name: GEO_COLUMNS.communityArea, type: 'integer' },
  ];
}

/** Captures what a load logs, so a malformed value cannot pass unnoticed. */
function recordingLogger(): { log: pino.Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('dataset definitions', () => {
  it('lists the boundaries first, then population, and every key, table and portal id once', () => {
    expect(datasets.slice(0, 3).map((dataset) => dataset.key)).toEqual(['zip-codes', 'community-areas', 'population']);
    for (const values of [datasets.map((d) => d.key), datasets.map((d) => d.table), datasets.flatMap((d) => d.sourceIds)]) {
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it.each(datasets.map((dataset) => [dataset.key, dataset] as const))(
    '%s refers only to its own columns',
    (_key, dataset) => {
      const names = new Set(dataset.columns.map((column) => column.name));
      expect(names.size).toBe(dataset.columns.length);
      expect(dataset.sourceIds.length).toBeGreaterThan(0);
      const referenced = [
        ...dataset.primaryKey,
        ...(dataset.timeColumn ? [dataset.timeColumn] : []),
        ...(dataset.point ? [dataset.point.latitude, dataset.point.longitude] : []),
        ...(dataset.geometryColumn ? [dataset.geometryColumn] : []),
        ...(dataset.filters ?? []),
      ];
      for (const name of referenced) expect(names, `${dataset.key}: ${name}`).toContain(name);
      for (const name of [...Object.values(GEO_COLUMNS), ...Object.values(SYSTEM_COLUMNS)]) expect(names).not.toContain(name);
      if (dataset.geometryColumn) {
        expect(dataset.columns.find((column) => column.name === dataset.geometryColumn)?.type).toBe('geometry');
      }
    },
  );
});

describe(`dataset tables and views (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it.each(datasets.map((dataset) => [dataset.key, dataset] as const))(
    '%s: the table has the definition\'s columns and types, its key, and a keyset index',
    async (_key, dataset) => {
      const expected = [
        ...dataset.columns.map((column) => ({ name: column.name, type: POSTGRES_TYPE[column.type] })),
        ...geoColumns(dataset),
        { name: SYSTEM_COLUMNS.sourceId, type: 'text' },
        { name: SYSTEM_COLUMNS.rowId, type: 'text' },
        { name: SYSTEM_COLUMNS.updatedAt, type: 'timestamp with time zone' },
      ];
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect((await columnsOf('data', dataset.table)).sort(byName)).toEqual(expected.sort(byName));

      const key = await db.knex.raw(
        `SELECT a.attname AS name
         FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = ?::regclass AND i.indisprimary
         ORDER BY array_position(i.indkey::int2[], a.attnum)`,
        [`data.${dataset.table}`],
      );
      expect(key.rows.map((row: { name: string }) => row.name)).toEqual([...dataset.primaryKey]);

      const indexes = await db.knex('pg_indexes').select('indexdef').where({ schemaname: 'data', tablename: dataset.table });
      const definitions = indexes.map((row: { indexdef: string }) => row.indexdef);
      if (dataset.timeColumn) {
        const paging = `(${dataset.timeColumn} DESC NULLS LAST, ${dataset.primaryKey.filter((c) => c !== dataset.timeColumn).map((c) => `${c} DESC`).join(', ')})`;
        expect(definitions.some((definition: string) => definition.endsWith(paging)), paging).toBe(true);
      }
      if (dataset.point) {
        expect(definitions.some((definition: string) => definition.includes(`(${GEO_COLUMNS.zip},`))).toBe(true);
      }
    },
  );

  it.each(datasets.map((dataset) => [dataset.key, dataset] as const))(
    '%s: the API view exposes exactly the definition\'s columns (and the computed geo columns)',
    async (_key, dataset) => {
      const view = await columnsOf('api', dataset.table);
      expect(view.map((column) => column.name)).toEqual([
        ...dataset.columns.map((column) => column.name),
        ...geoColumns(dataset).map((column) => column.name),
      ]);
    },
  );

  const withSample = datasets.filter((dataset) => dataset.sample);

  it.each(withSample.map((dataset) => [dataset.key, dataset] as const))(
    '%s: the bundled sample loads every fixture row with no malformed value',
    async (_key, dataset) => {
      const { log, lines } = recordingLogger();
      const result = await loadSample(db.knex, dataset, log);
      const fixtureRows = readSodaFixture(dataset.sourceIds[0]!).length;
      expect(result.rows).toBe(fixtureRows);
      const counted = await db.knex(`api.${dataset.table}`).select(db.knex.raw('count(*)::int AS rows'));
      expect(counted).toEqual([{ rows: fixtureRows }]);
      expect(lines.filter((line) => line.level >= 40)).toEqual([]);
      expect(lines.map((line) => line.msg)).toContain('loaded bundled sample');
    },
  );

  it('keeps a business license\'s values as the portal sent them, typed', async () => {
    const row = await db.knex('api.business_licenses').where({ id: '2808893-20210915' }).first();
    expect(row).toMatchObject({
      license_id: '2808893',
      ward: '4',
      zip_code: '60653',
      date_issued: '2021-09-15T00:00:00',
      expiration_date: '2023-09-15T00:00:00',
      license_status_change_date: null,
      latitude: 41.826260304,
      longitude: -87.607460517,
      geo_zip: null,
      geo_community_area: null,
    });
  });

  it('keeps both features of a ZIP made of two polygons, with their GeoJSON', async () => {
    const rows = await db.knex('api.zip_codes').where({ zip: '60643' }).orderBy('objectid');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.the_geom.type).toBe('MultiPolygon');
      expect(typeof row.shape_area).toBe('number');
    }
    const [{ zips }] = await db.knex('api.zip_codes').select(db.knex.raw('count(DISTINCT zip)::int AS zips'));
    expect(zips).toBe(59);
  });

  it('numbers the 77 community areas 1 to 77', async () => {
    const rows = await db.knex('api.community_areas').select('area_numbe', 'community').orderBy('area_numbe');
    expect(rows.map((row: { area_numbe: number }) => row.area_numbe)).toEqual(Array.from({ length: 77 }, (_, i) => i + 1));
    expect(rows[31]).toEqual({ area_numbe: 32, community: 'LOOP' });
  });
});

describe(`rows shaped by the schema notes (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('each fill a column their dataset\'s bundled sample never fills (otherwise the real rows test it)', () => {
    for (const [key, example] of Object.entries(schemaExampleRows)) {
      const dataset = findDataset(key)!;
      const filled = new Set(readSodaFixture(dataset.sourceIds[0]!).flatMap((row) => Object.keys(row)));
      const missing = dataset.columns.map((column) => column.source ?? column.name).filter((field) => example.row[field] !== undefined && !filled.has(field));
      expect(missing.length, key).toBeGreaterThan(0);
    }
  });

  it.each(Object.entries(schemaExampleRows))('%s: maps, stores and serves typed values', async (key, example) => {
    const dataset = findDataset(key)!;
    expect(dataset.sourceIds).toContain(example.sourceId);
    const mapped = mapSodaRow(dataset, example.row, example.sourceId);
    expect(mapped.problems).toEqual([]);
    await db.knex(`data.${dataset.table}`).insert(mapped.values);
    const where = Object.fromEntries(dataset.primaryKey.map((column) => [column, mapped.values[column]]));
    const served = await db.knex(`api.${dataset.table}`).where(where).first();
    expect(served).toMatchObject(example.expect);
  });
});
