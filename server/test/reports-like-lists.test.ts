import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityAreas } from '../../core/datasets/community-areas.js';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import { silentLogger } from '../../core/log.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { specOperations } from '../src/spec.js';
import { startServer, type LiveServer } from './helpers.js';

/**
 * Reports answer CSV like the lists do, trends take several ZIPs, an incomplete report says what
 * it lacks, and downloads have names. The crimes sample with its boundaries; no population rows.
 */
let server: LiveServer;
beforeAll(async () => {
  server = await startServer({
    seed: async (db) => {
      for (const dataset of [zipCodes, communityAreas, crimes]) await loadSample(db.knex, dataset, silentLogger);
      await recomputeEnrichment(db);
      await refreshRollups(db);
    },
  });
});
afterAll(() => server?.stop());

const DAY = String.raw`\d{4}-\d{2}-\d{2}`;
const REPORTS: readonly [string, string, string][] = [
  ['/v1/reports/crimes/by-zip?from=2014-03-01&to=2014-03-08', 'crimes-by-zip', 'zip,primary_type,count'],
  ['/v1/reports/crimes/trends?zip=60614', 'crimes-trends', 'zip,period,count'],
  ['/v1/reports/crimes/per-capita', 'crimes-per-capita', 'zip,year,count,population,per_1000'],
  ['/v1/reports/service-requests/by-type', 'service-requests-by-type', 'zip,sr_type,status,count,median_days_to_close'],
  ['/v1/reports/business-licenses/issued', 'business-licenses-issued', 'zip,month,count,new_count'],
  ['/v1/reports/traffic-crashes/monthly', 'traffic-crashes-monthly', 'zip,month,crashes,injuries,fatalities'],
  ['/v1/reports/trips/by-community-area', 'trips-by-community-area', 'service,community_area,month,trips,average_fare'],
  ['/v1/reports/cta-station-entries/monthly', 'cta-station-entries-monthly', 'station_id,stationname,month,rides'],
  ['/v1/reports/food-inspections/monthly', 'food-inspections-monthly', 'community_area,month,inspections,graded,failures,failure_rate'],
];

function csvRows(text: string): string[] {
  return text.trimEnd().split('\r\n');
}

describe('reports as CSV', () => {
  it('covers every report of the spec', () => {
    const reports = specOperations().filter((operation) => operation.path.startsWith('/v1/reports/')).map((operation) => operation.path);
    expect(reports.sort()).toEqual(REPORTS.map(([path]) => path.split('?')[0]).sort());
  });


  it.each(REPORTS)('%s answers CSV to Accept: text/csv and to format=csv, as a named download', async (path, name, header) => {
    const byAccept = await server.get(path, { accept: 'text/csv' });
    expect(byAccept.status).toBe(200);
    expect(byAccept.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(byAccept.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${name}-${DAY}\\.csv"$`));
    expect(csvRows(byAccept.text)[0]).toBe(header);
    const byFormat = await server.get(`${path}${path.includes('?') ? '&' : '?'}format=csv`);
    expect(byFormat.status).toBe(200);
    expect(byFormat.text).toBe(byAccept.text);
  });

  it('holds the same rows as the JSON answer', async () => {
    const path = '/v1/reports/crimes/by-zip?from=2014-03-01&to=2014-03-08&primary_type=THEFT,BATTERY';
    const json = await server.get(path);
    expect(json.body.data.length).toBeGreaterThan(10);
    const csv = csvRows((await server.get(path, { accept: 'text/csv' })).text).slice(1);
    expect(csv).toEqual(json.body.data.map((row: { zip: string; primary_type: string; count: number }) => `${row.zip},${row.primary_type},${row.count}`));
  });

  it('is a 406 to an Accept it cannot meet', async () => {
    const { status, body } = await server.get('/v1/reports/crimes/trends?zip=60614', { accept: 'application/xml' });
    expect(status).toBe(406);
    expect(body.detail).toMatch(/text\/csv/);
  });
});

describe('trends of several ZIPs', () => {
  it('zip=60614,60647 answers a monthly trend for each ZIP (interval defaults to month)', async () => {
    const { status, body } = await server.get('/v1/reports/crimes/trends?zip=60614,60647');
    expect(status).toBe(200);
    const { rows } = (await server.db.knex.raw(
      `SELECT geo_zip AS zip, to_char(date_trunc('month', date), 'YYYY-MM-DD') AS period, count(*)::int AS count
         FROM data.crimes WHERE geo_zip IN ('60614', '60647') GROUP BY 1, 2 ORDER BY 1, 2`,
    )) as { rows: { zip: string; period: string; count: number }[] };
    expect(new Set(rows.map((row) => row.zip))).toEqual(new Set(['60614', '60647']));
    expect(body.data).toEqual(rows);
  });
});

describe('a report whose inputs are missing', () => {
  it('says which datasets have no rows in missing_inputs (per-capita without population)', async () => {
    const { status, body } = await server.get('/v1/reports/crimes/per-capita');
    expect(status).toBe(200);
    expect(body).toEqual({ data: [], missing_inputs: ['population'] });
  });

  it('leaves the field out when every input has rows', async () => {
    const { body } = await server.get('/v1/reports/crimes/by-zip?from=2014-03-01&to=2014-03-08');
    expect(body.data.length).toBeGreaterThan(0);
    expect(body).not.toHaveProperty('missing_inputs');
  });
});

describe('downloads have names', () => {
  it.each([
    ['/v1/crimes?format=csv&primary_type=THEFT', 'crimes', 'csv'],
    ['/v1/crimes?format=csv&limit=5', 'crimes', 'csv'],
    ['/v1/crimes?format=geojson&limit=5', 'crimes', 'geojson'],
    ['/v1/zip-codes?format=csv', 'zip-codes', 'csv'],
    ['/v1/boundaries/zip-codes', 'zip-codes', 'geojson'],
    ['/v1/boundaries/community-areas', 'community-areas', 'geojson'],
  ])('%s is an attachment named %s-<date>.%s', async (path, name, extension) => {
    const { status, headers } = await server.get(path);
    expect(status).toBe(200);
    expect(headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${name}-${DAY}\\.${extension}"$`));
  });

  it('JSON pages are not downloads', async () => {
    expect((await server.get('/v1/crimes?limit=1')).headers.get('content-disposition')).toBeNull();
  });
});
