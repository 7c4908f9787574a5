import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets, findDataset } from '../../core/datasets/index.js';
import { trafficCrashes } from '../../core/datasets/traffic-crashes.js';
import { silentLogger } from '../../core/log.js';
import { schemaExampleRows } from '../../core/test/schema-example-rows.js';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { bumpDataVersion } from '../../core/db/data-version.js';
import { DATA_VERSION_REUSE_MS } from '../src/datasets-api/freshness.js';
import { listen } from '../src/listen.js';
import { startServer, type LiveServer } from './helpers.js';
import { insertSodaRows, parseCsv, seededRandom } from './seed-rows.js';

const fixture = readSodaFixture('ijzp-q8t2');
let server: LiveServer;
/** Every crime as the API serves it (checked against the fixture below), for independent filtering. */
let allCrimes: Record<string, any>[];

// Every dataset is seeded: the bundled real samples, plus the rideshare row of documented portal
// values from the schema notes (it fills the 2023-on columns the sample lacks). On top of the real crashes,
// 60 synthetic ones, a fifth of them without a crash_date (a fault the real rows lack: the keyset
// must page through NULLs too), placed where real crimes happened so that enrichment gives them a
// community area.
const random = seededRandom(7);
const crashes = Array.from({ length: 60 }, (_, index) => ({
  crash_record_id: `crash-${String(index).padStart(3, '0')}`,
  latitude: fixture[index * 50]!.latitude,
  longitude: fixture[index * 50]!.longitude,
  ...(index % 5 === 0 ? {} : { crash_date: `2024-0${1 + (index % 3)}-1${index % 10}T0${index % 8}:15:00.000` }),
  crash_type: random() < 0.5 ? 'NO INJURY / DRIVE AWAY' : 'INJURY AND / OR TOW DUE TO CRASH',
  injuries_total: String(index % 4),
  injuries_fatal: index === 7 ? '1' : '0',
}));

beforeAll(async () => {
  server = await startServer({
    seed: async (db) => {
      for (const dataset of datasets) await loadSample(db.knex, dataset, silentLogger);
      for (const [key, example] of Object.entries(schemaExampleRows)) await insertSodaRows(db, findDataset(key)!, [example.row]);
      await insertSodaRows(db, trafficCrashes, crashes);
      await recomputeEnrichment(db);
    },
  });
  allCrimes = await pageThrough('/v1/crimes?limit=2000');
});
afterAll(() => server?.stop());

async function pageThrough(path: string): Promise<Record<string, any>[]> {
  const rows: Record<string, any>[] = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages += 1) {
    expect(pages).toBeLessThan(5_000);
    const { status, body }: { status: number; body: any } = await server.get(cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path);
    expect(status, JSON.stringify(body)).toBe(200);
    rows.push(...body.data);
    cursor = body.next_cursor;
    if (!cursor) return rows;
  }
}

const byId = (a: Record<string, any>, b: Record<string, any>) => a.id - b.id;

describe('GET /v1/{dataset}', () => {
  it('serves every dataset with its own typed rows (validated against the spec)', async () => {
    for (const dataset of datasets) {
      const { status, body } = await server.get(`/v1/${dataset.key}?limit=3`);
      expect(status, dataset.key).toBe(200);
      expect(body.data.length, dataset.key).toBeGreaterThan(0);
      expect(body.data.length).toBeLessThanOrEqual(3);
    }
    expect((await server.get('/v1/zip-codes?limit=1')).body.data[0].the_geom.type).toMatch(/Polygon/);
  });

  it('serves exactly the fixture rows, with the computed geo columns', () => {
    expect(allCrimes.map((row) => row.id).sort((a, b) => a - b)).toEqual(fixture.map((row) => Number(row.id)).sort((a, b) => a - b));
    expect(allCrimes.filter((row) => row.geo_zip).length).toBeGreaterThan(fixture.length * 0.9);
  });

  it('pages through a combined filter returning exactly the selected rows, each once', async () => {
    const [minLon, minLat, maxLon, maxLat] = [-87.75, 41.8, -87.6, 41.95];
    const rows = await pageThrough(
      `/v1/crimes?limit=20&from=2014-03-05T12:00&to=2014-03-14&primary_type=THEFT,BATTERY,NARCOTICS&arrest=false&bbox=${minLon},${minLat},${maxLon},${maxLat}`,
    );
    const expected = fixture.filter((row) => {
      const date = row.date as string;
      const [lat, lon] = [Number(row.latitude), Number(row.longitude)];
      return (
        ['THEFT', 'BATTERY', 'NARCOTICS'].includes(row.primary_type as string) &&
        row.arrest === false &&
        date >= '2014-03-05T12:00:00' && date < '2014-03-14T00:00:00' &&
        lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat
      );
    });
    expect(expected.length).toBeGreaterThan(50);
    expect(rows.map((row) => row.id).sort((a, b) => a - b)).toEqual(expected.map((row) => Number(row.id)).sort((a, b) => a - b));
  });

  it('filters by computed ZIP and community area, ward and district', async () => {
    const zips = ['60614', '60647'];
    const rows = await pageThrough(`/v1/crimes?limit=50&zip=${zips.join(',')}&ward=1,32,35`);
    const expected = allCrimes.filter((row) => zips.includes(row.geo_zip) && [1, 32, 35].includes(row.ward));
    expect(expected.length).toBeGreaterThan(10);
    expect(rows.sort(byId)).toEqual(expected.sort(byId));
    const inArea = await pageThrough('/v1/crimes?limit=100&community_area=8,32&district=001,018');
    const expectedInArea = allCrimes.filter((row) => ['8', '32'].includes(row.community_area) && ['001', '018'].includes(row.district));
    expect(inArea.sort(byId)).toEqual(expectedInArea.sort(byId));
    // A dataset without its own community_area column filters on the computed one.
    const all = await pageThrough('/v1/traffic-crashes?limit=100');
    const areas = [...new Set(all.map((row) => row.geo_community_area).filter(Boolean))].slice(0, 3);
    const expectedCrashes = all.filter((row) => areas.includes(row.geo_community_area));
    expect(expectedCrashes.length).toBeGreaterThan(2);
    const inAreas = await pageThrough(`/v1/traffic-crashes?limit=100&community_area=${areas.join(',')}`);
    expect(inAreas.map((row) => row.crash_record_id).sort()).toEqual(expectedCrashes.map((row) => row.crash_record_id).sort());
  });

  it.each(['-date', 'date', 'id', '-id'])('pages in order %s through every row once', async (order) => {
    const rows = await pageThrough(`/v1/crimes?limit=997&order=${order}&fields=id,date`);
    expect(rows).toHaveLength(fixture.length);
    expect(new Set(rows.map((row) => row.id)).size).toBe(fixture.length);
    const column = order.replace('-', '') as 'id' | 'date';
    const keys = rows.map((row) => [row[column], row.id] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    expect(keys).toEqual(order.startsWith('-') ? sorted.reverse() : sorted);
  });

  it.each(['-crash_date', 'crash_date'])('pages through rows whose time is NULL, in order %s', async (order) => {
    const rows = await pageThrough(`/v1/traffic-crashes?limit=7&order=${order}&fields=crash_record_id,crash_date`);
    const expected = [...readSodaFixture('85ca-t3if'), ...crashes].map((row) => row.crash_record_id as string);
    expect(rows.map((row) => row.crash_record_id).sort()).toEqual(expected.sort());
    const dated = rows.filter((row) => row.crash_date !== null);
    // NULL counts as the smallest time: last when newest first, first when oldest first.
    expect(order.startsWith('-') ? rows.slice(dated.length) : rows.slice(0, rows.length - dated.length)).toEqual(rows.filter((row) => row.crash_date === null));
    const times = dated.map((row) => row.crash_date as string);
    expect(times).toEqual(order.startsWith('-') ? [...times].sort().reverse() : [...times].sort());
  });

  it('selects columns with fields= (the key is always included) and counts with count=exact', async () => {
    const { body } = await server.get('/v1/crimes?limit=5&fields=block,primary_type&count=exact&primary_type=THEFT');
    expect(Object.keys(body.data[0]).sort()).toEqual(['block', 'id', 'primary_type']);
    expect(body.total).toBe(fixture.filter((row) => row.primary_type === 'THEFT').length);
  });

  it('answers the same rows as CSV as the JSON page', async () => {
    const query = 'limit=50&primary_type=THEFT&from=2014-03-10&order=date';
    const json = (await server.get(`/v1/crimes?${query}`)).body;
    const csv = await server.get(`/v1/crimes?${query}`, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = parseCsv(csv.text);
    expect(header).toEqual(Object.keys(json.data[0]));
    expect(lines).toEqual(json.data.map((row: Record<string, unknown>) => Object.values(row).map((value) => (value === null ? '' : String(value)))));
    expect(csv.headers.get('link')).toContain(`cursor=${encodeURIComponent(json.next_cursor)}`);
  });

  it('streams every filtered row as CSV or NDJSON when no limit is given', async () => {
    const expected = fixture.filter((row) => row.primary_type === 'BATTERY').map((row) => Number(row.id)).sort((a, b) => a - b);
    const csv = await server.get('/v1/crimes?format=csv&primary_type=BATTERY&fields=id,description');
    const [header, ...lines] = parseCsv(csv.text);
    expect(header).toEqual(['id', 'description']);
    expect(lines.map((line) => Number(line[0])).sort((a, b) => a - b)).toEqual(expected);
    const ndjson = await fetch(`${server.url}/v1/crimes?primary_type=BATTERY`, { headers: { accept: 'application/x-ndjson' } });
    expect(ndjson.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const rows = (await ndjson.text()).trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.map((row) => row.id).sort((a, b) => a - b)).toEqual(expected);
    expect(rows[0]).toEqual(allCrimes.find((row) => row.id === rows[0].id));
  });

  it('serves the same values whether PostgreSQL renders the JSON page or Node serializes the rows (every dataset, every column type)', async () => {
    for (const dataset of datasets) {
      const json = await server.get(`/v1/${dataset.key}?limit=40`);
      const ndjson = await server.get(`/v1/${dataset.key}?limit=40&format=ndjson`, { accept: 'application/x-ndjson' });
      expect(json.status, dataset.key).toBe(200);
      expect(json.body.data.length, dataset.key).toBeGreaterThan(0);
      const rows = ndjson.text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
      expect(json.body.data, dataset.key).toEqual(rows);
    }
  });

  it('sends the PostgreSQL-rendered page as it is when responses are not validated (production)', async () => {
    const production = await listen({ db: server.db, log: silentLogger }, 0, '127.0.0.1');
    try {
      for (const path of ['/v1/crimes?limit=25&primary_type=THEFT', '/v1/zip-codes?limit=3', '/v1/crimes?limit=5&count=exact&fields=id,date']) {
        // Uncompressed, so the bytes on the wire are the page's own (compression.test.ts covers the rest).
        const response = await fetch(production.url + path, { headers: { 'accept-encoding': 'identity' } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
        const text = await response.text();
        expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
        expect(JSON.parse(text)).toEqual((await server.get(path)).body);
      }
      const head = await fetch(`${production.url}/v1/crimes?limit=2`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    } finally {
      await production.close();
    }
  });

  it('answers GeoJSON points for datasets with coordinates', async () => {
    const { status, headers, body } = await server.get('/v1/crimes?limit=20&fields=id', { accept: 'application/geo+json' });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(body.type).toBe('FeatureCollection');
    for (const feature of body.features) {
      const row = allCrimes.find((item) => item.id === feature.properties.id)!;
      expect(feature.geometry).toEqual(row.latitude === null ? null : { type: 'Point', coordinates: [row.longitude, row.latitude] });
    }
    expect((await server.get('/v1/population?format=geojson')).status).toBe(400);
  });

  it('answers 304 to a current If-None-Match and a new ETag after a write', async () => {
    const first = await server.get('/v1/crimes?limit=1');
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toMatch(/max-age/);
    expect(first.headers.get('last-modified')).toBeTruthy();
    const again = await server.get('/v1/crimes?limit=1', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await server.get('/v1/crimes?limit=2', { 'if-none-match': etag })).status).toBe(200);
    await bumpDataVersion(server.db.knex, ['crimes']);
    // The server reuses its read of the data version for this long.
    await new Promise((resolve) => setTimeout(resolve, DATA_VERSION_REUSE_MS + 50));
    const afterSync = await server.get('/v1/crimes?limit=1', { 'if-none-match': etag });
    expect(afterSync.status).toBe(200);
    expect(afterSync.headers.get('etag')).not.toBe(etag);
  });

  it('rejects a cursor of another order or dataset', async () => {
    const { body } = await server.get('/v1/crimes?limit=1&order=id');
    for (const path of [`/v1/crimes?order=-id&cursor=${body.next_cursor}`, `/v1/business-licenses?cursor=${body.next_cursor}`]) {
      const answer = await server.get(path);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].name).toBe('cursor');
    }
  });

  it.each([
    ['/v1/crimes?from=2014-13-01', 'from'],
    ['/v1/crimes?to=2014-02-30', 'to'],
    ['/v1/crimes?from=2014-03-10&to=2014-03-01', 'from'],
    ['/v1/crimes?cursor=bm9wZQ', 'cursor'],
    ['/v1/crimes?limit=0', 'limit'],
    ['/v1/crimes?limit=10001', 'limit'],
    ['/v1/crimes?fields=id,password', 'fields'],
    ['/v1/crimes?order=block', 'order'],
    ['/v1/crimes?order=-description', 'order'],
    ['/v1/crimes?bbox=1,2,3', 'bbox'],
    ['/v1/crimes?bbox=-87.6,41.9,-87.7,42', 'bbox'],
    ['/v1/crimes?arrest=maybe', 'arrest'],
    ['/v1/crimes?zip=6061', 'zip'],
    ['/v1/crimes?format=xml', 'format'],
  ])('GET %s is a 400 naming %s', async (path, name) => {
    const { status, headers, body } = await server.get(path);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.errors.map((error: { name: string }) => error.name)).toContain(name);
    expect(body.detail).toContain(name);
  });

  it('binds filter values: a quote is just a value that matches nothing', async () => {
    const { status, body } = await server.get("/v1/crimes?primary_type=THEFT'%20OR%201=1--&limit=1");
    expect(status).toBe(200);
    expect(body.data).toEqual([]);
  });

  it('answers 404 problem+json for an unknown dataset', async () => {
    const { status, headers, body } = await server.get('/v1/parking-tickets');
    expect(status).toBe(404);
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.detail).toContain('/v1/parking-tickets');
  });
});
