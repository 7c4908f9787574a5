import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../../core/datasets/index.js';
import { silentLogger } from '../../core/log.js';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import { loadSamples } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';

/**
 * Every dataset ships real rows: `loadSamples` (what `lakefront load-sample` and a fresh `npm start`
 * run) fills an empty database, and each dataset's list, filters, computed geo columns and report
 * answer what the bundled rows say. Expected values are read off the sample files by hand (quoted
 * literals) or counted from the files themselves, never from the API under test.
 */

type Row = Record<string, any>;
const SAMPLES = new URL('../../core/datasets/samples/', import.meta.url);

let server: LiveServer;

beforeAll(async () => {
  server = await startServer({ seed: async (db) => void (await loadSamples(db, silentLogger)) });
});
afterAll(() => server?.stop());

async function list(path: string): Promise<Row> {
  const { status, body } = await server.get(path);
  expect(status, JSON.stringify(body)).toBe(200);
  return body;
}

describe('the bundled samples', () => {
  it('exist and hold rows for every dataset', () => {
    expect(datasets.filter((dataset) => !dataset.sample).map((dataset) => dataset.key)).toEqual([]);
    for (const dataset of datasets) {
      const file = new URL(dataset.sample!.file, SAMPLES);
      expect(existsSync(file), dataset.sample!.file).toBe(true);
      const rows = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
      expect(rows.length, dataset.key).toBeGreaterThan(50);
    }
  });

  it('all load into an empty database: /v1/datasets counts each sample\'s rows', async () => {
    const { data } = await list('/v1/datasets');
    for (const dataset of datasets) {
      const rows = readSodaFixture(dataset.sourceIds[0]!).length;
      const [{ count }] = await server.db.knex(`data.${dataset.table}`).select(server.db.knex.raw('count(*)::int AS count'));
      expect(count, dataset.key).toBe(rows);
      expect(data.find((item: Row) => item.key === dataset.key).row_count, dataset.key).toBe(rows);
    }
  });
});

describe('crimes (ijzp-q8t2)', () => {
  const sample = readSodaFixture('ijzp-q8t2');

  it('computes the community area the portal itself reports for all but a handful of the located crimes', async () => {
    const rows = (await server.db.knex('api.crimes').whereNotNull('latitude').select('id', 'community_area', 'geo_community_area')) as Row[];
    // 73 crimes of the sample have no coordinates (see the samples README).
    expect(rows).toHaveLength(sample.length - 73);
    // The portal serves community_area as text ('24').
    const differ = rows.filter((row) => row.geo_community_area !== Number(row.community_area));
    // The portal assigns a crime on a boundary street by its block; a point on the line may land
    // in the neighbouring area. Allow 0.5% of them, no more.
    expect(differ.length).toBeLessThan(rows.length * 0.005);
  });
});

describe('business licenses (r5kz-chrr)', () => {
  const sample = readSodaFixture('r5kz-chrr');

  it('computes ZIP and community area of landmark addresses as their own ZIP says', async () => {
    const rows = (await server.db.knex('api.business_licenses').whereIn('id', ['42880-20060516', '1884590-20140916', '2089470-20110714']).orderBy('id')) as Row[];
    // 875 N Michigan Ave (the Hancock Center) is in the Near North Side; 180 N and 8 N Michigan
    // Ave are in the Loop, south of the river. Each license's own zip_code agrees.
    expect(rows.map((row) => [row.address, row.zip_code, row.geo_zip, row.geo_community_area])).toEqual([
      ['180 N MICHIGAN AVE 7TH FLOOR 710', '60601', '60601', 32],
      ['8 N MICHIGAN AVE 1 1', '60602', '60602', 32],
      ['875 N MICHIGAN AVE', '60611', '60611', 8],
    ]);
  });

  it('filters by status, application type, description, ward and police district', async () => {
    // Counted in the sample file: 68 AAC (cancelled) licenses, 48 of them renewals; 137 retail food
    // establishments, 10 of them in ward 42; 96 licenses in police district 1.
    expect((await list('/v1/business-licenses?license_status=AAC&count=exact&limit=1')).total).toBe(68);
    expect((await list('/v1/business-licenses?license_status=AAC&application_type=RENEW&count=exact&limit=1')).total).toBe(48);
    const food = await list(`/v1/business-licenses?license_description=${encodeURIComponent('Retail Food Establishment')}&ward=42&limit=100`);
    const expected = sample.filter((row) => row.license_description === 'Retail Food Establishment' && row.ward === '42');
    expect(expected).toHaveLength(10);
    expect(food.data.map((row: Row) => row.id).sort()).toEqual(expected.map((row) => row.id).sort());
    expect((await list('/v1/business-licenses?police_district=1&count=exact&limit=1')).total).toBe(96);
  });
});

describe('boundaries (gdcf-axmw, igwz-8jzy)', () => {
  it('filter by ZIP and community name', async () => {
    // 60643 is two features in the export (objectid 13 and 15); the Loop is area 32.
    const zips = await list('/v1/zip-codes?zip=60643');
    expect(zips.data.map((row: Row) => [row.zip, row.objectid]).sort()).toEqual([['60643', 13], ['60643', 15]]);
    const loop = await list('/v1/community-areas?community=LOOP');
    expect(loop.data.map((row: Row) => [row.area_numbe, row.community])).toEqual([[32, 'LOOP']]);
  });
});

describe('311 service requests (v6vf-nfxy)', () => {
  const sample = readSodaFixture('v6vf-nfxy');

  it('maps a request: the API\'s booleans, text codes with their zeros, the point from its legacy location', async () => {
    const { data } = await list('/v1/service-requests?from=2021-01-01T00:30&to=2021-01-01T00:31');
    expect(data).toEqual([
      expect.objectContaining({
        sr_number: 'SR21-00000074',
        sr_type: 'Dead Animal Pick-Up Request',
        sr_short_code: 'SGQ',
        owner_department: 'Streets and Sanitation',
        created_date: '2021-01-01T00:30:12',
        closed_date: '2021-01-04T12:44:43',
        street_address: '5233 W HUTCHINSON ST',
        city: null,
        zip_code: '60641',
        duplicate: true,
        legacy_record: false,
        legacy_sr_number: null,
        parent_sr_number: 'SR20-05727135',
        community_area: 15,
        ward: 38,
        police_district: '16',
        created_day_of_week: 6,
        latitude: 41.95761253412861,
        longitude: -87.75865336585986,
        // Portage Park, as the portal's own community_area says.
        geo_community_area: 15,
      }),
    ]);
  });

  it('computes the community area the portal itself reports, for every request', async () => {
    const rows = (await server.db.knex('api.service_requests').select('sr_number', 'community_area', 'geo_community_area')) as Row[];
    expect(rows).toHaveLength(156);
    expect(rows.filter((row) => row.geo_community_area !== row.community_area)).toEqual([]);
  });

  it('filters by type, department, origin and area', async () => {
    expect((await list(`/v1/service-requests?sr_type=${encodeURIComponent('Aircraft Noise Complaint')}&count=exact&limit=1`)).total).toBe(4);
    const cdot = await list(`/v1/service-requests?owner_department=${encodeURIComponent('CDOT - Department of Transportation')}&limit=100`);
    expect(cdot.data.map((row: Row) => row.sr_number).sort()).toEqual([
      'SR21-00000034', 'SR21-00000045', 'SR21-00000060', 'SR21-00000064', 'SR21-00000101', 'SR21-00000114', 'SR21-00000158',
    ]);
    const mobile = sample.filter((row) => row.origin === 'Mobile Device');
    expect((await list('/v1/service-requests?origin=Mobile%20Device&count=exact&limit=1')).total).toBe(mobile.length);
    expect((await list(`/v1/service-requests?community_area=28&sr_type=${encodeURIComponent('311 INFORMATION ONLY CALL')}&count=exact&limit=1`)).total).toBe(137);
  });

  it('reports requests by type with the median days to close', async () => {
    const { data } = await list(`/v1/reports/service-requests/by-type?sr_type=${encodeURIComponent('Street Light Out Complaint')}&zip=60619`);
    // SR21-00000034 (9116 S Dante) closed after 5 d 15:50:41, SR21-00000064 (9245 S Harper) after 6 d 17:54:04.
    expect(data).toEqual([expect.objectContaining({ zip: '60619', sr_type: 'Street Light Out Complaint', status: 'Completed', count: 2, median_days_to_close: 6.2 })]);
    const all = await list('/v1/reports/service-requests/by-type');
    const [{ located }] = await server.db.knex('data.service_requests').whereNotNull('geo_zip').select(server.db.knex.raw('count(*)::int AS located'));
    expect(all.data.reduce((sum: number, row: Row) => sum + row.count, 0)).toBe(located);
    expect(located).toBeGreaterThan(150);
  });
});

describe('traffic crashes (85ca-t3if)', () => {
  const sample = readSodaFixture('85ca-t3if');

  it('maps a crash as the export had it, Excel dates turned back into minutes, with its ZIP and community area', async () => {
    const { data } = await list('/v1/traffic-crashes?from=2019-03-25T14:43&to=2019-03-25T14:44');
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      crash_record_id: expect.stringMatching(/^79c7a2ce89f4/),
      crash_date: '2019-03-25T14:43:00',
      date_police_notified: '2019-03-25T15:17:00',
      posted_speed_limit: 30,
      street_no: 536,
      street_direction: 'W',
      street_name: 'RANDOLPH ST',
      beat_of_occurrence: '121',
      damage: 'OVER $1,500',
      intersection_related_i: 'Y',
      hit_and_run_i: null,
      injuries_total: 1,
      latitude: 41.88454722,
      longitude: -87.64120094,
      // 536 W Randolph St, west of the river: the West Loop's ZIP, in the Near West Side.
      geo_zip: '60661',
      geo_community_area: 28,
    });
  });

  it('filters by category and time', async () => {
    expect((await list('/v1/traffic-crashes?hit_and_run_i=Y&count=exact&limit=1')).total).toBe(144);
    const injured2022 = sample.filter((row) => row.crash_type === 'INJURY AND / OR TOW DUE TO CRASH' && (row.crash_date as string) >= '2022-01-01');
    const body = await list(`/v1/traffic-crashes?crash_type=${encodeURIComponent('INJURY AND / OR TOW DUE TO CRASH')}&from=2022-01-01&count=exact&limit=1000`);
    expect(body.total).toBe(injured2022.length);
    expect(body.data.map((row: Row) => row.crash_record_id).sort()).toEqual(injured2022.map((row) => row.crash_record_id).sort());
  });

  it('leaves the 6 crashes without coordinates out of the ZIP report, and counts every other one', async () => {
    const { data } = await list('/v1/reports/traffic-crashes/monthly');
    const [{ outside }] = await server.db.knex('data.traffic_crashes').whereNull('geo_zip').select(server.db.knex.raw('count(*)::int AS outside'));
    expect(sample.filter((row) => row.location === undefined)).toHaveLength(6);
    expect(data.reduce((sum: number, row: Row) => sum + row.crashes, 0)).toBe(sample.length - outside);
    expect(outside).toBeGreaterThanOrEqual(6);
    expect(outside).toBeLessThan(20);
  });
});

describe("CTA 'L' stops (8pix-ypme)", () => {
  const sample = readSodaFixture('8pix-ypme');

  it('maps a stop: checkboxes as booleans, latitude and longitude from the location point, enriched', async () => {
    const { data } = await list('/v1/cta-stops?map_id=40830&order=stop_id');
    expect(data.map((row: Row) => row.stop_id)).toEqual([30161, 30162]);
    expect(data[1]).toMatchObject({
      stop_name: '18th (54th/Cermak-bound)',
      station_descriptive_name: '18th (Pink Line)',
      direction_id: 'W',
      ada: true,
      pnk: true,
      red: false,
      latitude: 41.857908,
      longitude: -87.669147,
      // 18th St and Paulina: Pilsen, the Lower West Side.
      geo_zip: '60608',
      geo_community_area: 31,
    });
  });

  it('finds no ZIP or community area for a stop outside Chicago (Davis, Evanston)', async () => {
    const { data } = await list('/v1/cta-stops?map_id=40050');
    expect(data).toHaveLength(2);
    expect(data.map((row: Row) => [row.station_name, row.geo_zip, row.geo_community_area])).toEqual([
      ['Davis', null, null],
      ['Davis', null, null],
    ]);
  });

  it('filters on line and accessibility flags', async () => {
    expect((await list('/v1/cta-stops?ada=false&count=exact&limit=1')).total).toBe(104);
    const blueNorth = sample.filter((row) => row.blue === true && row.direction_id === 'N');
    const body = await list('/v1/cta-stops?blue=true&direction_id=N&limit=500');
    expect(body.data.map((row: Row) => String(row.stop_id)).sort()).toEqual(blueNorth.map((row) => row.stop_id).sort());
  });
});

describe("CTA 'L' station entries (5neh-572f)", () => {
  const sample = readSodaFixture('5neh-572f');

  it('maps a station-day, the midnight timestamp as a date', async () => {
    const { data } = await list('/v1/cta-station-entries?station_id=40010&from=2014-02-28&to=2014-03-01');
    expect(data).toEqual([expect.objectContaining({ station_id: 40010, stationname: 'Austin-Forest Park', date: '2014-02-28', daytype: 'W', rides: 1973 })]);
  });

  it('filters by day type and station, and every station is a parent station of the stops sample', async () => {
    expect((await list('/v1/cta-station-entries?daytype=U&count=exact&limit=1')).total).toBe(284);
    const week = await list('/v1/cta-station-entries?station_id=40380&from=2014-03-03&to=2014-03-08&order=date');
    expect(week.data.map((row: Row) => row.rides)).toEqual([17227, 19688, 19605, 19690, 19485]);
    const stations = new Set(readSodaFixture('8pix-ypme').map((row) => row.map_id));
    expect(sample.filter((row) => !stations.has(row.station_id))).toEqual([]);
  });

  it('sums every entry into the monthly report', async () => {
    const { data } = await list('/v1/reports/cta-station-entries/monthly');
    expect(data.reduce((sum: number, row: Row) => sum + row.rides, 0)).toBe(sample.reduce((sum, row) => sum + Number(row.rides), 0));
    expect(new Set(data.map((row: Row) => row.month))).toEqual(new Set(['2014-02-01', '2014-03-01']));
  });
});

describe('population counts (85cm-7uqa)', () => {
  it('maps a ZIP row, the counts the 2018 export left empty as null', async () => {
    const { data } = await list('/v1/population?geography=60601&year=2018');
    expect(data).toEqual([
      expect.objectContaining({
        record_id: 'ZIP_Code-60601-2018',
        geography_type: 'ZIP Code',
        population_total: 14675,
        population_age_18: 13855,
        population_age_65: 2075,
        population_latinx: 1274,
        population_asian_non_latinx: null,
        population_white_non_latinx: 9677,
      }),
    ]);
  });

  it('filters by geography type and year, keeping the export\'s two spellings of the ZIP type', async () => {
    const citywide = await list('/v1/population?geography_type=Citywide&order=record_id');
    expect(citywide.data.map((row: Row) => [row.year, row.population_total])).toEqual([[2018, 2705988], [2019, 2693959]]);
    expect((await list('/v1/population?geography_type=Zip%20Code&count=exact&limit=1')).total).toBe(58);
    expect((await list('/v1/population?geography_type=ZIP%20Code&year=2019&count=exact&limit=1')).total).toBe(1);
  });
});

describe('taxi trips (wrvz-psew)', () => {
  const sample = readSodaFixture('wrvz-psew');

  it('maps a trip from the TFX copy: epoch seconds back to Chicago time, the columns it lacks as null', async () => {
    const { data } = await list('/v1/taxi-trips?from=2014-03-23T12:00&to=2014-03-23T12:01&pickup_community_area=4');
    expect(data).toEqual([
      expect.objectContaining({
        trip_id: 'tfx-2014-0002',
        trip_start_timestamp: '2014-03-23T12:00:00',
        trip_end_timestamp: null,
        trip_seconds: 420,
        trip_miles: 0.1,
        fare: 7.45,
        tips: 0,
        trip_total: null,
        payment_type: 'Cash',
        company: 'Taxi Affiliation Services',
        pickup_community_area: 4,
        dropoff_community_area: 2,
        pickup_centroid_latitude: 41.975170943,
        pickup_centroid_longitude: -87.687515515,
        geo_community_area: 4,
      }),
    ]);
  });

  it('computes the pickup community area the portal itself reports, for every trip', async () => {
    const rows = (await server.db.knex('api.taxi_trips').select('trip_id', 'pickup_community_area', 'geo_community_area')) as Row[];
    expect(rows).toHaveLength(874);
    expect(rows.filter((row) => row.geo_community_area !== row.pickup_community_area)).toEqual([]);
  });

  it('filters by payment type, company and pickup area', async () => {
    expect((await list('/v1/taxi-trips?payment_type=Credit%20Card&count=exact&limit=1')).total).toBe(250);
    const expected = sample.filter((row) => row.pickup_community_area === '8' && row.company === 'Taxi Affiliation Services');
    const body = await list(`/v1/taxi-trips?pickup_community_area=8&company=${encodeURIComponent('Taxi Affiliation Services')}&limit=1000`);
    expect(expected.length).toBeGreaterThan(10);
    expect(body.data.map((row: Row) => row.trip_id).sort()).toEqual(expected.map((row) => row.trip_id).sort());
  });

  it('counts every trip with a pickup area in the trips report', async () => {
    const { data } = await list('/v1/reports/trips/by-community-area?service=taxi');
    expect(data.reduce((sum: number, row: Row) => sum + row.trips, 0)).toBe(sample.filter((row) => row.pickup_community_area !== undefined).length);
    expect(new Set(data.map((row: Row) => row.month))).toEqual(new Set(['2014-02-01', '2014-03-01']));
  });
});

describe('rideshare trips (m6dm-c72p)', () => {
  const sample = readSodaFixture('m6dm-c72p');

  it('maps a trip: the API\'s text typed, the centroid as latitude and longitude, the portal\'s float noise kept', async () => {
    const { data } = await list('/v1/rideshare-trips?from=2022-01-01T02:00&to=2022-01-01T02:01&pickup_community_area=22&dropoff_community_area=8');
    expect(data).toEqual([
      expect.objectContaining({
        trip_id: '0023a884e6bd212188940d21454898113d06f2a8',
        trip_start_timestamp: '2022-01-01T02:00:00',
        trip_end_timestamp: '2022-01-01T02:15:00',
        trip_seconds: 970,
        trip_miles: 6.0751,
        percent_time_chicago: null,
        pickup_census_tract: '17031221200',
        dropoff_census_tract: '17031081403',
        fare: 52.5,
        tip: 1,
        additional_charges: 4,
        trip_total: 57.5,
        shared_trip_authorized: false,
        shared_trip_match: null,
        trips_pooled: 1,
        pickup_centroid_latitude: 41.9210845826,
        pickup_centroid_longitude: -87.704648384,
        dropoff_centroid_latitude: 41.8909220259,
        dropoff_centroid_longitude: -87.6188683546,
        // Tract 2212 lies in Logan Square, the portal's own pickup area 22.
        geo_community_area: 22,
      }),
    ]);
    // The API's CSV printed this total as 2.5 + 0 + 2.36 summed in binary floating point.
    const [short] = (await list('/v1/rideshare-trips?from=2022-01-01T00:00&to=2022-01-01T00:01&pickup_community_area=8&dropoff_community_area=8')).data.filter(
      (row: Row) => row.trip_id === '0066f1154bb7dc467b2d8ce59e8def475a428557',
    );
    expect(short).toMatchObject({ fare: 2.5, additional_charges: 2.36, trip_total: 4.859999999999999 });
  });

  it('keeps a trip that ends outside Chicago: no dropoff tract, area or centroid', async () => {
    const { data } = await list('/v1/rideshare-trips?from=2022-01-01T00:00&to=2022-01-01T00:01&pickup_community_area=8&limit=100');
    expect(data.find((row: Row) => row.trip_id === '0023918a32baa84c59a60ec6acd38ef8d8876a55')).toMatchObject({
      trip_miles: 27.8011,
      pickup_census_tract: null,
      dropoff_census_tract: null,
      dropoff_community_area: null,
      dropoff_centroid_latitude: null,
      trip_total: 45.41,
      geo_community_area: 8,
    });
  });

  it('computes the pickup community area the portal itself reports, for every trip with a centroid', async () => {
    const rows = (await server.db.knex('api.rideshare_trips').select('trip_id', 'pickup_community_area', 'pickup_centroid_latitude', 'geo_community_area')) as Row[];
    expect(rows).toHaveLength(300);
    // 13 trips have neither a pickup area nor a pickup centroid (suppressed, or outside Chicago).
    expect(rows.filter((row) => row.pickup_centroid_latitude === null).map((row) => [row.pickup_community_area, row.geo_community_area])).toEqual(
      Array.from({ length: 13 }, () => [null, null]),
    );
    expect(rows.filter((row) => row.geo_community_area !== row.pickup_community_area)).toEqual([]);
  });

  it('filters by pickup and dropoff area, the shared flag and time', async () => {
    // Counted in the raw CSV: 50 pickups in area 8 (Near North Side), 5 of them to the Loop (32).
    expect((await list('/v1/rideshare-trips?pickup_community_area=8&count=exact&limit=1')).total).toBe(50);
    const toLoop = sample.filter((row) => row.pickup_community_area === '8' && row.dropoff_community_area === '32');
    const body = await list('/v1/rideshare-trips?pickup_community_area=8&dropoff_community_area=32&limit=100');
    expect(toLoop).toHaveLength(5);
    expect(body.data.map((row: Row) => row.trip_id).sort()).toEqual(toLoop.map((row) => row.trip_id).sort());
    // No trip of that day was authorised to share.
    expect((await list('/v1/rideshare-trips?shared_trip_authorized=true&count=exact&limit=1')).total).toBe(0);
    expect((await list('/v1/rideshare-trips?shared_trip_authorized=false&count=exact&limit=1')).total).toBe(300);
    // 25 trips at each even hour: 12:00 to 13:59 holds only the 12:00 ones.
    expect((await list('/v1/rideshare-trips?from=2022-01-01T12:00&to=2022-01-01T14:00&count=exact&limit=1')).total).toBe(25);
  });

  it('counts every trip with a pickup area in the rideshare half of the trips report', async () => {
    const { data } = await list('/v1/reports/trips/by-community-area?service=rideshare');
    expect(data.reduce((sum: number, row: Row) => sum + row.trips, 0)).toBe(287);
    expect(new Set(data.map((row: Row) => row.month))).toEqual(new Set(['2022-01-01']));
    // Area 8's 50 fares, summed by hand from the CSV: $1,347.50, an average of $26.95.
    const nearNorth = await list('/v1/reports/trips/by-community-area?service=rideshare&community_area=8');
    expect(nearNorth.data.map((row: Row) => [row.service, row.community_area, row.month, row.trips, row.average_fare])).toEqual([
      ['rideshare', 8, '2022-01-01', 50, 26.95],
    ]);
  });
});
