import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../../core/datasets/index.js';
import { population } from '../../core/datasets/population.js';
import { rideshareTrips } from '../../core/datasets/rideshare-trips.js';
import { serviceRequests } from '../../core/datasets/service-requests.js';
import { silentLogger } from '../../core/log.js';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';
import { insertSodaRows, seededRandom } from './seed-rows.js';

type Row = Record<string, any>;
const random = seededRandom(11);
const pickOne = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const pad = (value: number) => String(value).padStart(2, '0');
const ZIPS = ['60614', '60647', '60608'];

// Synthetic rows, in the portal's wire format: 311 requests (open ones, a fault the real sample lacks), rideshare trips in
// 2021, a ninth of them without a fare (every real trip, all on 2022-01-01, has one), and 2014 population counts, a year
// the real population sample (2018-2019) lacks but the crimes have.
const requests = Array.from({ length: 90 }, (_, index) => {
  const created = `2025-0${1 + (index % 6)}-${pad(1 + (index % 27))}T${pad(index % 24)}:00:00.000`;
  const closed = index % 4 === 0 ? undefined : new Date(Date.parse(`${created}Z`) + (1 + index * 7) * 3_600_000).toISOString().replace('Z', '');
  return {
    sr_number: `SR25-${String(index).padStart(8, '0')}`,
    sr_type: pickOne(['Pothole in Street Complaint', 'Street Light Out Complaint', 'Graffiti Removal Request']),
    status: closed ? 'Completed' : 'Open',
    created_date: created,
    ...(closed ? { closed_date: closed } : {}),
  };
});
const trips = (prefix: string) =>
  Array.from({ length: 60 }, (_, index) => ({
    trip_id: `${prefix}-${index}`,
    trip_start_timestamp: `2021-0${1 + (index % 3)}-${pad(1 + (index % 28))}T10:15:00.000`,
    pickup_community_area: String(pickOne([8, 32, 28])),
    ...(index % 9 === 0 ? {} : { fare: (5 + Math.floor(random() * 4000) / 100).toFixed(2) }),
  }));
const syntheticRideshare = trips('ride');
// Taxi trips, traffic crashes and CTA entries are the bundled real samples; rideshare trips are its sample plus the above.
const taxi = readSodaFixture('wrvz-psew');
const rideshare = [...readSodaFixture('m6dm-c72p'), ...syntheticRideshare];
const zipOf = (index: number) => ({ geo_zip: ZIPS[index % ZIPS.length]! });

let server: LiveServer;
let crimes: Row[];
let licenses: Row[];

beforeAll(async () => {
  server = await startServer({
    seed: async (db) => {
      // Every sample but 311's: its 156 real requests are all completed, 137 of them information-only
      // calls of one address, so the report's median days are checked on synthetic requests instead.
      for (const dataset of datasets.filter((item) => item !== serviceRequests)) await loadSample(db.knex, dataset, silentLogger);
      await recomputeEnrichment(db);
      // The geo_zip of synthetic rows is set directly, so the expected counts do not depend on boundaries.
      await insertSodaRows(db, serviceRequests, requests, (_, index) => zipOf(index));
      await insertSodaRows(db, rideshareTrips, syntheticRideshare);
      await insertSodaRows(
        db,
        population,
        ZIPS.map((zip, index) => ({ record_id: `ZIP-2014-${zip}`, geography_type: 'Zip Code', year: '2014', geography: zip, population_total: String(50_000 + index * 7_000) })),
      );
      await refreshRollups(db);
    },
  });
  crimes = (await server.get('/v1/crimes?format=ndjson&fields=id,date,primary_type,geo_zip', { accept: 'application/x-ndjson' })).text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  licenses = (await server.db.knex('api.business_licenses').select('geo_zip', 'date_issued', 'application_type')) as Row[];
});
afterAll(() => server?.stop());

function countBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return counts;
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return Number(((sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2).toFixed(2));
}

const monthOf = (time: string) => `${time.slice(0, 7)}-01`;

function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

describe('GET /v1/reports/crimes/by-zip', () => {
  it.each([
    ['2014-03-03', '2014-03-12'],
    ['2014-02-15', '2014-04-01'],
    ['2014-02-10', '2014-05-10'],
    ['2014-03-01', '2014-03-31'],
    // Exactly one month and exactly one day: read straight from that rollup, without summing.
    ['2014-03-01', '2014-04-01'],
    ['2014-03-05', '2014-03-06'],
    ['2014-01-01', '2015-01-01'],
    ['2013-11-20', '2015-01-10'],
    ['2012-12-31', '2016-01-01'],
    ['2013-12-01', '2014-03-15'],
  ])('counts crimes per ZIP and type from %s to %s exactly', async (from, to) => {
    const { status, body } = await server.get(`/v1/reports/crimes/by-zip?from=${from}&to=${to}`);
    expect(status).toBe(200);
    const selected = crimes.filter((row) => row.geo_zip && row.date >= from && row.date < to);
    const expected = countBy(selected, (row) => `${row.geo_zip}|${row.primary_type}`);
    expect(body.data.length).toBe(expected.size);
    for (const row of body.data) expect(row.count, `${row.zip} ${row.primary_type}`).toBe(expected.get(`${row.zip}|${row.primary_type}`));
    expect(body.data.reduce((sum: number, row: Row) => sum + row.count, 0)).toBe(selected.length);
  });

  it('filters by primary type and ZIP, and answers [] when nothing matches', async () => {
    const { body } = await server.get('/v1/reports/crimes/by-zip?from=2014-01-01&to=2015-01-01&primary_type=THEFT,NARCOTICS&zip=60614,60647');
    const expected = countBy(
      crimes.filter((row) => ['THEFT', 'NARCOTICS'].includes(row.primary_type) && ['60614', '60647'].includes(row.geo_zip)),
      (row) => `${row.geo_zip}|${row.primary_type}`,
    );
    expect(new Map(body.data.map((row: Row) => [`${row.zip}|${row.primary_type}`, row.count]))).toEqual(expected);
    expect((await server.get('/v1/reports/crimes/by-zip?from=2030-01-01&to=2031-01-01')).body).toEqual({ data: [] });
  });
});

describe('GET /v1/reports/crimes/trends', () => {
  const busiest = () => [...countBy(crimes.filter((row) => row.geo_zip), (row) => row.geo_zip)].sort((a, b) => b[1] - a[1])[0]![0];

  it.each([
    ['day', (day: string) => day],
    ['week', mondayOf],
    ['month', monthOf],
  ] as const)('counts crimes of one ZIP per %s', async (interval, periodOf) => {
    const zip = busiest();
    const { body } = await server.get(`/v1/reports/crimes/trends?zip=${zip}&interval=${interval}&from=2014-03-01&to=2014-03-30`);
    // Whole periods, selected by their first day.
    const expected = [...countBy(crimes.filter((row) => row.geo_zip === zip), (row) => periodOf(row.date.slice(0, 10)))]
      .filter(([period]) => period >= '2014-03-01' && period < '2014-03-30')
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(expected.length).toBeGreaterThan(0);
    expect(body.data.map((row: Row) => [row.period, row.count])).toEqual(expected);
    expect(body.data.every((row: Row) => row.zip === zip)).toBe(true);
  });
});

describe('the other reports', () => {
  it('crimes per 1,000 residents by ZIP and year', async () => {
    const { body } = await server.get('/v1/reports/crimes/per-capita?year=2014');
    const expected = ZIPS.map((zip, index) => {
      const count = crimes.filter((row) => row.geo_zip === zip && row.date.startsWith('2014')).length;
      const people = 50_000 + index * 7_000;
      return { zip, year: 2014, count, population: people, per_1000: Number(((count * 1000) / people).toFixed(2)) };
    }).filter((row) => row.count > 0);
    expect(expected.length).toBeGreaterThan(1);
    expect(body.data).toEqual(expected.sort((a, b) => a.zip.localeCompare(b.zip)));
  });

  it('311 requests by type and status per ZIP, with the median days to close', async () => {
    const { body } = await server.get('/v1/reports/service-requests/by-type');
    const groups = new Map<string, Row[]>();
    requests.forEach((row, index) => {
      const key = `${zipOf(index).geo_zip}|${row.sr_type}|${row.status}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    });
    expect(body.data.length).toBe(groups.size);
    for (const row of body.data) {
      const group = groups.get(`${row.zip}|${row.sr_type}|${row.status}`)!;
      expect(row.count).toBe(group.length);
      const days = group.filter((item) => item.closed_date).map((item) => (Date.parse(`${item.closed_date}Z`) - Date.parse(`${item.created_date}Z`)) / 86_400_000);
      expect(row.median_days_to_close).toBe(median(days));
    }
    const open = await server.get('/v1/reports/service-requests/by-type?status=Open&zip=60614');
    expect(open.body.data.every((row: Row) => row.status === 'Open' && row.zip === '60614' && row.median_days_to_close === null)).toBe(true);
  });

  it('business licenses issued per ZIP per month', async () => {
    const { body } = await server.get('/v1/reports/business-licenses/issued?from=2010-01-01');
    const selected = licenses.filter((row) => row.geo_zip && row.date_issued && row.date_issued >= '2010-01-01');
    expect(selected.length).toBeGreaterThan(100);
    const counts = countBy(selected, (row) => `${row.geo_zip}|${monthOf(row.date_issued)}`);
    const fresh = countBy(selected.filter((row) => row.application_type === 'ISSUE'), (row) => `${row.geo_zip}|${monthOf(row.date_issued)}`);
    expect(body.data.length).toBe(counts.size);
    for (const row of body.data) {
      expect(row.count).toBe(counts.get(`${row.zip}|${row.month}`));
      expect(row.new_count).toBe(fresh.get(`${row.zip}|${row.month}`) ?? 0);
    }
  });

  it('traffic crashes per ZIP per month with injuries and fatalities', async () => {
    const stored = (await server.db.knex('data.traffic_crashes').select('geo_zip', 'crash_date', 'injuries_total', 'injuries_fatal')) as Row[];
    const zips = [...countBy(stored.filter((row) => row.geo_zip), (row) => row.geo_zip)].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([zip]) => zip);
    const { body } = await server.get(`/v1/reports/traffic-crashes/monthly?from=2019-01-01&to=2022-12-01&zip=${zips.join(',')}`);
    const expected = new Map<string, { crashes: number; injuries: number; fatalities: number }>();
    for (const row of stored) {
      const month = monthOf(row.crash_date);
      if (!zips.includes(row.geo_zip) || month < '2019-01-01' || month >= '2022-12-01') continue;
      const sums = expected.get(`${row.geo_zip}|${month}`) ?? { crashes: 0, injuries: 0, fatalities: 0 };
      expected.set(`${row.geo_zip}|${month}`, { crashes: sums.crashes + 1, injuries: sums.injuries + row.injuries_total, fatalities: sums.fatalities + row.injuries_fatal });
    }
    expect([...expected.values()].reduce((sum, item) => sum + item.crashes, 0)).toBeGreaterThan(20);
    expect(new Map(body.data.map((row: Row) => [`${row.zip}|${row.month}`, { crashes: row.crashes, injuries: row.injuries, fatalities: row.fatalities }]))).toEqual(expected);
  });

  it('taxi and rideshare trips per pickup community area per month, with the average fare', async () => {
    const { body } = await server.get('/v1/reports/trips/by-community-area');
    const expected = new Map<string, { trips: number; average_fare: number | null }>();
    for (const [service, rows] of [['taxi', taxi], ['rideshare', rideshare]] as const) {
      const groups = new Map<string, Row[]>();
      for (const row of rows.filter((item) => item.pickup_community_area !== undefined)) {
        const key = `${service}|${row.pickup_community_area}|${monthOf(row.trip_start_timestamp as string)}`;
        groups.set(key, [...(groups.get(key) ?? []), row]);
      }
      for (const [key, group] of groups) {
        // In whole cents, so the rounding is exact like the database's numeric.
        const cents = group.filter((row) => row.fare !== undefined).map((row) => Math.round(Number(row.fare) * 100));
        const average = cents.length ? Math.round(cents.reduce((sum, fare) => sum + fare, 0) / cents.length) / 100 : null;
        expected.set(key, { trips: group.length, average_fare: average });
      }
    }
    expect(new Map(body.data.map((row: Row) => [`${row.service}|${row.community_area}|${row.month}`, { trips: row.trips, average_fare: row.average_fare }]))).toEqual(expected);
    const onlyTaxi = await server.get('/v1/reports/trips/by-community-area?service=taxi&community_area=8&from=2014-03-01');
    // Read off the sample: taxi trips picked up in community area 8 (Near North Side) in March 2014.
    const march = taxi.filter((row) => row.pickup_community_area === '8' && (row.trip_start_timestamp as string).startsWith('2014-03'));
    expect(onlyTaxi.body.data.map((row: Row) => [row.service, row.community_area, row.month, row.trips])).toEqual([['taxi', 8, '2014-03-01', march.length]]);
  });

  it('CTA rides per station per month', async () => {
    const { body } = await server.get('/v1/reports/cta-station-entries/monthly?station_id=40380');
    const stored = await server.db.knex('data.cta_station_entries').where('station_id', 40380).select('date', 'rides');
    const expected = new Map<string, number>();
    for (const row of stored) expected.set(monthOf(row.date), (expected.get(monthOf(row.date)) ?? 0) + row.rides);
    // Summed by hand from the sample (2014-02-28 to 2014-03-15): Clark/Lake's 18,737 entries on
    // Friday 28 February, then 1 to 15 March (5,142 on Saturday the 1st … 12,487 on Saturday the 15th).
    expect(expected).toEqual(new Map([['2014-02-01', 18737], ['2014-03-01', 225775]]));
    expect(new Map(body.data.map((row: Row) => [row.month, row.rides]))).toEqual(expected);
  });
});

describe('report input and caching', () => {
  it.each([
    ['/v1/reports/crimes/by-zip?to=2014-04-01', 'from'],
    ['/v1/reports/crimes/by-zip?from=2014-02-30&to=2014-04-01', 'from'],
    ['/v1/reports/crimes/by-zip?from=2014-03-01T10:00&to=2014-04-01', 'from'],
    ['/v1/reports/crimes/by-zip?from=2014-04-01&to=2014-03-01', 'from'],
    ['/v1/reports/crimes/trends?interval=week', 'zip'],
    ['/v1/reports/crimes/trends?zip=60614&interval=year', 'interval'],
    ['/v1/reports/trips/by-community-area?service=bus', 'service'],
    ['/v1/reports/crimes/per-capita?year=twenty', 'year'],
  ])('GET %s is a 400 naming %s', async (path, name) => {
    const { status, headers, body } = await server.get(path);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.errors.map((error: { name: string }) => error.name)).toContain(name);
  });

  it('answers 304 to a current If-None-Match', async () => {
    const path = '/v1/reports/crimes/trends?zip=60614&interval=month';
    const first = await server.get(path);
    expect(first.headers.get('last-modified')).toBeTruthy();
    expect((await server.get(path, { 'if-none-match': first.headers.get('etag')! })).status).toBe(304);
  });
});
