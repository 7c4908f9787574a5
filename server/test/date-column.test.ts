import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctaStationEntries } from '../../core/datasets/cta-station-entries.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';

/**
 * A `date` column (CTA station entries' `date`, the time column and first order key) through every
 * path that renders it: the JSON page PostgreSQL writes, the CSV and NDJSON streams, the keyset
 * cursor that carries it, and `from`/`to`. Expected values are literals read off
 * core/datasets/samples/5neh-572f.json (station 40380, Clark/Lake: 16 days, 2014-02-28 to 03-15).
 */
const CLARK_LAKE_RIDES = [18737, 5142, 3942, 17227, 19688, 19605, 19690, 19485, 5842, 4342, 19696, 19908, 19061, 19829, 19831, 12487];
const DAYS = Array.from({ length: 16 }, (_, index) => new Date(Date.UTC(2014, 1, 28 + index)).toISOString().slice(0, 10));

let server: LiveServer;

beforeAll(async () => {
  server = await startServer({ seed: async (db) => void (await loadSample(db.knex, ctaStationEntries, silentLogger)) });
});
afterAll(() => server?.stop());

describe('a date column', () => {
  it('is YYYY-MM-DD in the JSON page PostgreSQL renders', async () => {
    const { status, body } = await server.get('/v1/cta-station-entries?station_id=40380&order=date&limit=3');
    expect(status).toBe(200);
    expect(body.data).toEqual([
      expect.objectContaining({ station_id: 40380, stationname: 'Clark/Lake', date: '2014-02-28', daytype: 'W', rides: 18737 }),
      expect.objectContaining({ station_id: 40380, stationname: 'Clark/Lake', date: '2014-03-01', daytype: 'A', rides: 5142 }),
      expect.objectContaining({ station_id: 40380, stationname: 'Clark/Lake', date: '2014-03-02', daytype: 'U', rides: 3942 }),
    ]);
  });

  it('is the same text in CSV and NDJSON', async () => {
    const csv = await server.get('/v1/cta-station-entries?station_id=40380&order=date&limit=2&fields=date,rides', { accept: 'text/csv' });
    const [header, ...lines] = csv.text.trim().split(/\r?\n/).map((line) => line.split(','));
    const pick = (line: string[]) => ({ date: line[header!.indexOf('date')], rides: line[header!.indexOf('rides')] });
    expect(lines.map(pick)).toEqual([
      { date: '2014-02-28', rides: '18737' },
      { date: '2014-03-01', rides: '5142' },
    ]);
    const ndjson = await server.get('/v1/cta-station-entries?station_id=40380&order=-date&limit=1&format=ndjson');
    expect(JSON.parse(ndjson.text.trim())).toMatchObject({ date: '2014-03-15', rides: 12487 });
  });

  it.each(['date', '-date'])('carries it in the cursor: order=%s pages through every day once', async (order) => {
    const days: string[] = [];
    const rides: number[] = [];
    let path: string | undefined = `/v1/cta-station-entries?station_id=40380&order=${order}&limit=5`;
    while (path) {
      const { status, body } = await server.get(path);
      expect(status).toBe(200);
      for (const row of body.data as { date: string; rides: number }[]) {
        days.push(row.date);
        rides.push(row.rides);
      }
      path = body.next_cursor ? `/v1/cta-station-entries?station_id=40380&order=${order}&limit=5&cursor=${encodeURIComponent(body.next_cursor)}` : undefined;
    }
    expect(days).toEqual(order === 'date' ? DAYS : [...DAYS].reverse());
    expect(rides).toEqual(order === 'date' ? CLARK_LAKE_RIDES : [...CLARK_LAKE_RIDES].reverse());
  });

  it('is bounded by from/to as a day', async () => {
    const oneDay = await server.get('/v1/cta-station-entries?from=2014-03-01&to=2014-03-02&count=exact&limit=1');
    expect(oneDay.body.total).toBe(142);
    const threeDays = await server.get('/v1/cta-station-entries?from=2014-03-03&to=2014-03-06&count=exact&limit=1');
    expect(threeDays.body.total).toBe(426);
  });
});
