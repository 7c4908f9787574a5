import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';

const fixture = readSodaFixture('ijzp-q8t2');
let server: LiveServer;

beforeAll(async () => {
  server = await startServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)) });
});
afterAll(() => server?.stop());

async function pageThrough(query: string, limit: number): Promise<Record<string, any>[]> {
  const rows: Record<string, any>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const { status, body } = await server.get(`/v1/crimes?limit=${limit}${query}${suffix}`);
    expect(status).toBe(200);
    expect(body.data.length).toBeLessThanOrEqual(limit);
    rows.push(...body.data);
    cursor = body.next_cursor;
    pages += 1;
    expect(pages).toBeLessThan(10_000);
  } while (cursor);
  return rows;
}

describe('GET /v1/crimes', () => {
  it('pages through every sample row exactly once, newest first', async () => {
    const rows = await pageThrough('', 1000);
    const ids = rows.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort((a, b) => a - b)).toEqual(fixture.map((row) => Number(row.id)).sort((a, b) => a - b));
    const dates = rows.map((row) => row.date as string);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('serves real types: integers, booleans, decimals and local timestamps', async () => {
    const source = fixture.find((row) => row.id === '9532593')!;
    const rows = await pageThrough('&from=2014-03-15&to=2014-03-16', 10_000);
    const row = rows.find((item) => item.id === 9532593)!;
    expect(row).toMatchObject({
      id: 9532593,
      case_number: source.case_number,
      date: '2014-03-15T00:00:00',
      arrest: false,
      ward: 35,
      district: '014',
      x_coordinate: 1155318,
      year: 2014,
      updated_on: '2014-03-22T00:39:11',
      latitude: 41.93193179666549,
      longitude: -87.70464452726821,
    });
  });

  it('filters by time range and primary types, exactly as the source rows say', async () => {
    const rows = await pageThrough('&from=2014-03-10T06:00&to=2014-03-12&primary_type=THEFT,BATTERY', 250);
    const expected = fixture.filter(
      (row) =>
        (row.primary_type === 'THEFT' || row.primary_type === 'BATTERY') &&
        (row.date as string) >= '2014-03-10T06:00:00' &&
        (row.date as string) < '2014-03-12T00:00:00',
    );
    expect(expected.length).toBeGreaterThan(100);
    expect(rows.map((row) => row.id).sort()).toEqual(expected.map((row) => Number(row.id)).sort());
  });

  it('returns an empty page as [] with no cursor', async () => {
    const { status, body } = await server.get('/v1/crimes?from=2030-01-01');
    expect(status).toBe(200);
    expect(body).toEqual({ data: [], next_cursor: null });
  });

  it.each([
    ['limit=-1', 'limit'],
    ['limit=0', 'limit'],
    ['limit=10001', 'limit'],
    ['limit=ten', 'limit'],
    ['from=yesterday', 'from'],
    ['from=2014-02-30', 'from'],
    ['from=2014-03-10&to=2014-03-01', 'from'],
    ['cursor=not-a-cursor', 'cursor'],
    ['unknown=1', 'unknown'],
  ])('rejects %s with a 400 problem naming %s', async (query, name) => {
    const { status, headers, body } = await server.get(`/v1/crimes?${query}`);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
    expect(body.errors.map((error: { name: string }) => error.name)).toContain(name);
    expect(body.detail).toContain(name);
  });
});
