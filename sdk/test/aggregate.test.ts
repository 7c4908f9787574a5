import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { LiveServer } from '../../server/test/helpers.js';
import { createLakefront, LakefrontError } from '../src/index.js';
import { DATASET_AGGREGATES, DATASET_OPERATIONS } from '../src/table.js';
import { startSampleServer } from './live-server.js';

let server: LiveServer;

beforeAll(async () => {
  server = await startSampleServer();
});
afterAll(() => server?.stop());

describe('lf.<dataset>.aggregate', () => {
  it('groups crimes by type and month, rows typed by the call: group fields with their column types, measures as numbers', async () => {
    const urls: string[] = [];
    const lf = createLakefront({ baseUrl: server.url, fetch: (url, init) => (urls.push(url), globalThis.fetch(url, init)) });
    const answer = await lf.crimes.aggregate({ groupBy: ['primary_type'], bucket: 'month', from: '2014-01-01', avg: ['latitude'] });
    expectTypeOf(answer.data[0]!).toEqualTypeOf<{ primary_type: string | null; period: string | null; count: number; avg_latitude: number | null }>();
    expectTypeOf(answer.truncated).toEqualTypeOf<boolean>();
    const url = new URL(urls[0]!);
    expect(url.pathname).toBe('/v1/crimes/aggregate');
    expect(url.searchParams.get('group_by')).toBe('primary_type');

    const result = (await server.db.knex.raw(
      `SELECT primary_type, to_char(date_trunc('month', date), 'YYYY-MM-DD') AS period, count(*)::int AS count
       FROM data.crimes WHERE date >= '2014-01-01' GROUP BY 1, 2`,
    )) as { rows: { primary_type: string | null; period: string; count: number }[] };
    expect(answer.data).toHaveLength(result.rows.length);
    const expected = new Map(result.rows.map((row) => [`${row.primary_type}|${row.period}`, row.count]));
    for (const row of answer.data) {
      expect(row.count).toBe(expected.get(`${row.primary_type}|${row.period}`));
      expect(typeof row.avg_latitude === 'number' || row.avg_latitude === null).toBe(true);
    }
  });

  it('streams the same groups as typed NDJSON rows, and as CSV', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const groups: Array<{ district: string | null; count: number }> = [];
    for await (const group of lf.crimes.aggregate.ndjson({ groupBy: 'district' })) {
      expectTypeOf(group).toEqualTypeOf<{ district: string | null; count: number }>();
      groups.push(group);
    }
    const result = (await server.db.knex.raw('SELECT district, count(*)::int AS count FROM data.crimes GROUP BY 1')) as { rows: { district: string | null; count: number }[] };
    const byDistrict = (rows: Array<{ district: string | null; count: number }>) => new Map(rows.map((row) => [row.district, row.count]));
    expect(groups.length).toBeGreaterThan(10);
    expect(byDistrict(groups)).toEqual(byDistrict(result.rows));

    const [header, ...lines] = (await lf.crimes.aggregate.csv({ groupBy: 'district' })).trim().split('\r\n');
    expect(header).toBe('district,count');
    const fromCsv = lines.map((line) => {
      const [district, count] = line.split(',');
      return { district: district === '' ? null : district!, count: Number(count) };
    });
    expect(byDistrict(fromCsv)).toEqual(byDistrict(result.rows));
  });

  it('is offered on every dataset', () => {
    const lf = createLakefront({ baseUrl: server.url });
    expect(Object.keys(DATASET_AGGREGATES).sort()).toEqual(Object.keys(DATASET_OPERATIONS).sort());
    for (const key of Object.keys(DATASET_OPERATIONS)) expect(typeof (lf as unknown as Record<string, { aggregate: unknown }>)[key]!.aggregate).toBe('function');
  });

  it('rejects a column that cannot be grouped with a LakefrontError naming the parameter', async () => {
    const lf = createLakefront({ baseUrl: server.url, retry: false });
    // @ts-expect-error `block` is not groupable
    const failed = await lf.crimes.aggregate({ groupBy: ['block'] }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(LakefrontError);
    expect(String((failed as Error).message)).toMatch(/group_by/);
  });
});
