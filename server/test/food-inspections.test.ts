import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityAreas } from '../../core/datasets/community-areas.js';
import { foodInspections } from '../../core/datasets/food-inspections.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import { syncDatasets } from '../../ingest/sync/run.js';
import { syncOptions } from '../../ingest/test/helpers.js';
import { createLakefront } from '../../sdk/src/index.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { startServer, type LiveServer } from './helpers.js';

/**
 * Food inspections end to end: synced from the test portal serving the 561 real rows of
 * core/datasets/samples/4ijn-s7e5.json (with the ZIP and community area boundaries, so enrichment
 * runs), then read through the API and the SDK. Expected counts are literals counted in the
 * fixture, or plain SQL over the synced table.
 */
let soda: SodaTestServer;
let server: LiveServer;

beforeAll(async () => {
  soda = await startSodaServer();
  for (const portalId of ['gdcf-axmw', 'igwz-8jzy', '4ijn-s7e5']) serveFixture(soda.store, portalId);
  server = await startServer();
  const summaries = await syncDatasets(server.db, [zipCodes, communityAreas, foodInspections], syncOptions(soda, capturingLogger().log));
  for (const summary of summaries) expect(summary.error).toBeUndefined();
});
afterAll(async () => {
  await server?.stop();
  await soda?.close();
});

const total = async (query: string): Promise<number> => {
  const response = await server.get(`/v1/food-inspections?count=exact&limit=1&${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body.total as number;
};

describe('GET /v1/food-inspections', () => {
  it('serves every synced inspection, newest first, as the portal states it', async () => {
    expect(await total('')).toBe(561);
    const response = await server.get('/v1/food-inspections?limit=3');
    expect(response.body.data.map((row: { inspection_id: number }) => row.inspection_id)).toEqual([2363149, 2363109, 2363092]);
    expect(response.body.data[0]).toMatchObject({
      inspection_id: 2363149,
      dba_name: 'AMIGOS SALUDABLES',
      license_: '2717775',
      facility_type: 'Restaurant',
      risk: 'All',
      zip: '60639',
      inspection_date: '2020-03-03T00:00:00',
      inspection_type: 'License',
      results: 'Not Ready',
      violations: null,
      latitude: 41.92437352872389,
      longitude: -87.72681367807314,
    });
    expect(response.body.data[0].geo_zip).toMatch(/^\d{5}$/);
  });

  it('filters on results, risk, facility_type and inspection_type (several values each)', async () => {
    expect(await total('results=Fail')).toBe(32);
    expect(await total('risk=Risk%203%20%28Low%29')).toBe(53);
    // As encodeURIComponent (and so the SDK) sends it: parentheses unencoded.
    expect(await total('risk=Risk%201%20(High)')).toBe(413);
    expect(await total('facility_type=School&inspection_type=Canvass')).toBe(28);
    expect(await total('facility_type=School,Grocery%20Store&inspection_type=Canvass,License')).toBe(58);
  });

  it('bounds inspection_date with from/to, alone or with a filter', async () => {
    expect(await total('from=2020-02-01&to=2020-03-01')).toBe(99);
    expect(await total('from=2020-01-01&to=2020-02-01&results=Fail')).toBe(15);
    expect(await total('to=2011-01-01')).toBe(3);
  });

  it('filters on the ZIP computed from the coordinates', async () => {
    const [{ count }] = (await server.db.knex('data.food_inspections').where({ geo_zip: '60614' }).count({ count: '*' })) as [{ count: number | string }];
    expect(Number(count)).toBeGreaterThan(20);
    expect(await total('zip=60614')).toBe(Number(count));
  });

  it('computes the ZIP each inspection\'s own address gives, but where ZIPs were redrawn or the point lies outside', async () => {
    const newest = await server.get('/v1/food-inspections?limit=3');
    // 4001 W Fullerton Ave, 3308 N Western Ave, 4431 S Archer Ave, as the portal's own zip column says.
    expect(newest.body.data.map((row: { zip: string; geo_zip: string }) => [row.zip, row.geo_zip])).toEqual([
      ['60639', '60639'],
      ['60618', '60618'],
      ['60632', '60632'],
    ]);
    const rows = (await server.db.knex('api.food_inspections').whereNotNull('latitude').select('zip', 'geo_zip')) as { zip: string; geo_zip: string | null }[];
    expect(rows).toHaveLength(557);
    // The 6 at O'Hare (60666) share one point outside the bundled ZIP polygons; the rest differ
    // from the postal ZIP only near a boundary (neighbouring ZIPs such as 60622/60642), under 10%.
    expect(rows.filter((row) => row.zip === '60666').map((row) => row.geo_zip)).toEqual(Array.from({ length: 6 }, () => null));
    expect(rows.filter((row) => row.geo_zip !== row.zip).length).toBeLessThan(rows.length * 0.1);
  });

  it('answers an unknown filter value with an empty page and a bad one with a problem', async () => {
    expect(await total('results=Exploded')).toBe(0);
    const response = await server.get('/v1/food-inspections?order=dba_name');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('GET /v1/reports/food-inspections/monthly', () => {
  it('counts inspections, graded ones and failures per community area and month, as plain SQL does', async () => {
    const { rows } = (await server.db.knex.raw(
      `SELECT geo_community_area AS community_area, to_char(inspection_date, 'YYYY-MM-01') AS month,
              count(*)::int AS inspections,
              sum(CASE WHEN results IN ('Pass', 'Pass w/ Conditions', 'Fail') THEN 1 ELSE 0 END)::int AS graded,
              sum(CASE WHEN results = 'Fail' THEN 1 ELSE 0 END)::int AS failures
       FROM data.food_inspections WHERE geo_community_area IS NOT NULL
       GROUP BY 1, 2 ORDER BY 1, 2`,
    )) as { rows: { community_area: number; month: string; inspections: number; graded: number; failures: number }[] };
    expect(rows.length).toBeGreaterThan(50);
    const response = await server.get('/v1/reports/food-inspections/monthly');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual(
      rows.map((row) => ({
        ...row,
        failure_rate: row.graded === 0 ? null : Math.round((row.failures / row.graded) * 1000) / 1000,
      })),
    );
    // 557 of the 561 rows have coordinates; the 6 with ZIP 60666 share one point at O'Hare that
    // lies outside the bundled community area boundaries, so the report counts 551. None failed.
    const sum = (key: 'inspections' | 'failures') => response.body.data.reduce((acc: number, row: Record<string, number>) => acc + (row[key] ?? 0), 0);
    expect(sum('inspections')).toBe(551);
    expect(sum('failures')).toBe(32);
  });

  it('selects community areas and months', async () => {
    const all = (await server.get('/v1/reports/food-inspections/monthly')).body.data as { community_area: number; month: string }[];
    const area = all.find((row) => row.month === '2020-01-01')!.community_area;
    const response = await server.get(`/v1/reports/food-inspections/monthly?community_area=${area}&from=2020-01-01&to=2020-02-01`);
    expect(response.body.data).toEqual(all.filter((row) => row.community_area === area && row.month === '2020-01-01'));
  });
});

describe('the SDK', () => {
  it('lists food inspections and reads the report with camelCase parameters', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const page = await lf.foodInspections.list({ facilityType: ['School'], inspectionType: ['Canvass'], count: 'exact', limit: 5 });
    expect(page.total).toBe(28);
    const low = await lf.foodInspections.list({ risk: ['Risk 3 (Low)'], count: 'exact', limit: 1 });
    expect(low.total).toBe(53);
    expect(page.data.every((row) => row.facility_type === 'School' && row.inspection_type === 'Canvass')).toBe(true);
    const report = await lf.reports.foodInspectionsMonthly({ from: '2020-02-01', to: '2020-03-01' });
    const { rows } = (await server.db.knex.raw(
      `SELECT count(*)::int AS count FROM data.food_inspections
       WHERE geo_community_area IS NOT NULL AND inspection_date >= '2020-02-01' AND inspection_date < '2020-03-01'`,
    )) as { rows: { count: number }[] };
    expect(report.data.reduce((acc, row) => acc + row.inspections, 0)).toBe(rows[0]!.count);
  });
});
