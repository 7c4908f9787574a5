import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';

/** A cursor continues the query that returned it, and only that query. */
let server: LiveServer;
let theftCursor: string;
let firstPage: string[];

beforeAll(async () => {
  server = await startServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)) });
  const { body } = await server.get('/v1/crimes?primary_type=THEFT&from=2014-03-01&to=2014-03-08&limit=5');
  expect(body.data).toHaveLength(5);
  firstPage = body.data.map((row: { id: number }) => row.id);
  theftCursor = body.next_cursor;
  expect(theftCursor).toEqual(expect.any(String));
});
afterAll(() => server?.stop());

const withCursor = (query: string) => `/v1/crimes?${query}&cursor=${encodeURIComponent(theftCursor)}`;

describe('a cursor replayed', () => {
  it.each([
    ['another filter value', 'primary_type=BATTERY&from=2014-03-01&to=2014-03-08&limit=5'],
    ['a filter dropped', 'from=2014-03-01&to=2014-03-08&limit=5'],
    ['another date range', 'primary_type=THEFT&from=2014-03-02&to=2014-03-08&limit=5'],
    ['another order', 'primary_type=THEFT&from=2014-03-01&to=2014-03-08&order=date&limit=5'],
    ['a filter added', 'primary_type=THEFT&from=2014-03-01&to=2014-03-08&zip=60614&limit=5'],
  ])('with %s is a 400 naming cursor', async (_case, query) => {
    const { status, body } = await server.get(withCursor(query));
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ name: 'cursor', message: expect.stringMatching(/another query/) })]);
  });

  it('with the same filters continues, whatever fields, limit or format are asked', async () => {
    const { status, body } = await server.get(withCursor('primary_type=THEFT&from=2014-03-01&to=2014-03-08&limit=3&fields=id,primary_type'));
    expect(status).toBe(200);
    expect(body.data).toHaveLength(3);
    for (const row of body.data) {
      expect(row.primary_type).toBe('THEFT');
      expect(firstPage).not.toContain(row.id);
    }
    const csv = await server.get(withCursor('primary_type=THEFT&from=2014-03-01&to=2014-03-08&format=csv'));
    expect(csv.status).toBe(200);
    // Every THEFT of that week after the first five, counted with plain SQL.
    const [{ n }] = (await server.db.knex('data.crimes').where({ primary_type: 'THEFT' }).where('date', '>=', '2014-03-01').where('date', '<', '2014-03-08').count({ n: '*' })) as [{ n: number | string }];
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(1 + Number(n) - 5);
  });
});
