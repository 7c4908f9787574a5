import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../../core/datasets/index.js';
import { silentLogger } from '../../core/log.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';
import { parseCsv } from './seed-rows.js';

/**
 * `GET /v1/{key}/aggregate` over HTTP, on the bundled real samples (enriched, rollups refreshed,
 * as `npm start` serves them). Expected numbers come from plain SQL on the tables; every response
 * is validated against the spec by the test server.
 */
let server: LiveServer;

beforeAll(async () => {
  server = await startServer({
    seed: async (db) => {
      for (const dataset of datasets) await loadSample(db.knex, dataset, silentLogger);
      await recomputeEnrichment(db, undefined, { log: silentLogger });
      await refreshRollups(db);
    },
  });
}, 120_000);
afterAll(() => server?.stop());

async function sql<T>(text: string, bindings: unknown[] = []): Promise<T[]> {
  const result = (await server.db.knex.raw(text, bindings as never[])) as { rows: T[] };
  return result.rows;
}

describe('GET /v1/{key}/aggregate', () => {
  it('counts crimes per type and month in 2014, exactly as a plain GROUP BY does, largest first', async () => {
    const { status, body, headers } = await server.get('/v1/crimes/aggregate?group_by=primary_type&bucket=month&from=2014-01-01&to=2015-01-01');
    expect(status, JSON.stringify(body)).toBe(200);
    const expected = await sql<{ primary_type: string | null; period: string; count: number }>(
      `SELECT primary_type, to_char(date_trunc('month', date), 'YYYY-MM-DD') AS period, count(*)::int AS count
       FROM data.crimes WHERE date >= '2014-01-01' AND date < '2015-01-01' GROUP BY 1, 2`,
    );
    expect(expected.length).toBeGreaterThan(10);
    expect(body.truncated).toBe(false);
    expect([...body.data].sort(byKey)).toEqual([...expected].sort(byKey));
    const counts = body.data.map((row: { count: number }) => row.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(headers.get('etag')).toBeTruthy();
    expect(headers.get('last-modified')).toBeTruthy();
  });

  it("totals equal the list's count=exact under the same filters", async () => {
    const filters = 'from=2014-03-01&to=2014-04-01&arrest=true&bbox=-87.75,41.8,-87.6,41.95';
    const list = await server.get(`/v1/crimes?count=exact&limit=1&${filters}`);
    expect(list.body.total).toBeGreaterThan(5);
    for (const shape of ['group_by=district', 'group_by=geo_zip,domestic&bucket=dow', 'bucket=hour', '']) {
      const { status, body } = await server.get(`/v1/crimes/aggregate?${shape}&${filters}`);
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.data.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBe(list.body.total);
    }
  });

  it('keeps NULL as a group of its own: crimes without coordinates have no geo_zip', async () => {
    const { body } = await server.get('/v1/crimes/aggregate?group_by=geo_zip&order=geo_zip&limit=10000');
    const { count: missing } = (await sql<{ count: number }>('SELECT count(*)::int AS count FROM data.crimes WHERE geo_zip IS NULL'))[0]!;
    expect(missing).toBeGreaterThan(0);
    const last = body.data[body.data.length - 1];
    expect(last).toEqual({ geo_zip: null, count: missing });
  });

  it('answers sums, averages, minima and maxima as JSON numbers, named <measure>_<column>', async () => {
    const { status, body } = await server.get('/v1/crimes/aggregate?group_by=arrest&sum=ward&avg=latitude&min=x_coordinate&max=year&order=arrest');
    expect(status, JSON.stringify(body)).toBe(200);
    const expected = await sql<Record<string, number | boolean | null>>(
      `SELECT arrest, count(*)::int AS count, sum(ward)::float8 AS sum_ward, avg(latitude)::float8 AS avg_latitude,
              min(x_coordinate)::float8 AS min_x_coordinate, max(year)::float8 AS max_year
       FROM data.crimes GROUP BY arrest ORDER BY arrest NULLS LAST`,
    );
    expect(body.data).toHaveLength(expected.length);
    body.data.forEach((row: Record<string, unknown>, index: number) => {
      expect(Object.keys(row)).toEqual(['arrest', 'count', 'sum_ward', 'avg_latitude', 'min_x_coordinate', 'max_year']);
      for (const field of ['count', 'sum_ward', 'avg_latitude', 'min_x_coordinate', 'max_year']) {
        expect(typeof row[field]).toBe('number');
        expect(row[field]).toBeCloseTo(expected[index]![field] as number, 6);
      }
    });
  });

  it('groups point datasets by the computed community area, which business licenses have while their portal column is empty', async () => {
    const { body } = await server.get('/v1/business-licenses/aggregate?group_by=geo_community_area,license_status&limit=3&order=-count');
    expect(body.data).toHaveLength(3);
    expect(body.truncated).toBe(true);
    const [top] = await sql<{ geo_community_area: number | null; license_status: string | null; count: number }>(
      `SELECT geo_community_area, license_status, count(*)::int AS count FROM data.business_licenses
       GROUP BY 1, 2 ORDER BY 3 DESC, 1 NULLS LAST, 2 NULLS LAST LIMIT 1`,
    );
    expect(body.data[0]).toEqual(top);
    expect(typeof body.data[0].geo_community_area).toBe('number');
  });

  it('serves CSV and NDJSON by Accept or format, with the Truncated header', async () => {
    const csv = await server.get('/v1/crimes/aggregate?group_by=domestic&order=domestic', { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('truncated')).toBe('false');
    // A browser saves it under a name that says what it is, as it does a list's CSV.
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="crimes-aggregate-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['domestic', 'count']);
    const expected = await sql<{ domestic: boolean; count: number }>('SELECT domestic, count(*)::int AS count FROM data.crimes GROUP BY 1 ORDER BY 1 NULLS LAST');
    expect(rows).toEqual(expected.map((row) => [row.domestic === null ? '' : String(row.domestic), String(row.count)]));

    const ndjson = await server.get('/v1/crimes/aggregate?group_by=domestic&order=domestic&format=ndjson&limit=1');
    expect(ndjson.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(ndjson.headers.get('truncated')).toBe('true');
    expect(ndjson.text.trim().split('\n').map((line) => JSON.parse(line))).toEqual([expected[0]]);
  });

  it('answers 304 to a client whose copy is current', async () => {
    const path = '/v1/crimes/aggregate?group_by=ward';
    const first = await server.get(path);
    const again = await server.get(path, { 'if-none-match': first.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('offers every dataset, grouped by each groupable column', async () => {
    for (const dataset of datasets) {
      const { status, body } = await server.get(`/v1/${dataset.key}/aggregate`);
      expect(status, `${dataset.key}: ${JSON.stringify(body)}`).toBe(200);
      const { count } = (await sql<{ count: number }>(`SELECT count(*)::int AS count FROM data.${dataset.table}`))[0]!;
      expect(body.data).toEqual([{ count }]);
    }
  });

  it.each([
    ['/v1/crimes/aggregate?group_by=block', 'group_by', /primary_type/],
    ['/v1/crimes/aggregate?group_by=primary_type,district,ward,arrest', 'group_by', /at most 3|more than 3/],
    ['/v1/crimes/aggregate?sum=primary_type', 'sum', /ward/],
    ['/v1/crimes/aggregate?group_by=ward&order=-district', 'order', /ward, -ward, count, -count/],
    ['/v1/crimes/aggregate?bucket=fortnight', 'bucket', /month/],
    ['/v1/cta-station-entries/aggregate?bucket=hour', 'bucket', /month/],
    ['/v1/crimes/aggregate?limit=10001', 'limit', /10000/],
  ])('%s is a 400 naming %s and what is allowed', async (path, parameter, allowed) => {
    const { status, body, headers } = await server.get(path);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.errors.map((error: { name: string }) => error.name)).toContain(parameter);
    expect(body.detail).toMatch(allowed);
  });
});

function byKey(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const key = (row: Record<string, unknown>) => `${row.primary_type}|${row.period}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
