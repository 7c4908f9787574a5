import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapedSelectsCompiled } from '../../core/db/run-select.js';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { onPostgres } from './support/guarded-server.js';
import { startServer, type LiveServer } from './helpers.js';

/**
 * List pages reuse the SQL knex compiled for the first query of their shape (core/db/run-select.ts,
 * runShapedSelect) with their own values. A reused statement must answer its own filters and its
 * own cursor: every order is paged to the end twice, the second time from reused SQL only, and
 * each walk must equal the rows plain SQL selects. Pages run on the pool only on PostgreSQL.
 */
describe.skipIf(!onPostgres)('list pages from reused SQL', () => {
  let server: LiveServer;
  beforeAll(async () => {
    server = await startServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)), validateResponses: false });
  });
  afterAll(() => server?.stop());

  async function walk(query: string): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await server.get(`/v1/crimes?${query}&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(status).toBe(200);
      ids.push(...body.data.map((row: { id: number }) => row.id));
      cursor = body.next_cursor;
    } while (cursor);
    return ids;
  }

  /** The ids plain SQL selects for THEFT or BATTERY on 10 March 2014, in the order asked. */
  async function expected(types: string[], order: string): Promise<number[]> {
    const rows = (await server.db.knex.raw(
      `SELECT id FROM data.crimes WHERE primary_type = ANY(?) AND date >= '2014-03-10' AND date < '2014-03-11' ORDER BY ${order}`,
      [types],
    )) as { rows: { id: string | number }[] };
    return rows.rows.map((row) => Number(row.id));
  }

  it.each([
    ['-date', 'date DESC NULLS LAST, id DESC'],
    ['date', 'date ASC NULLS FIRST, id ASC'],
    ['id', 'id ASC'],
    ['-id', 'id DESC'],
  ])('pages order=%s to the end twice, the second time without compiling, each time exactly as SQL selects', async (order, sqlOrder) => {
    for (const types of [['THEFT'], ['BATTERY'], ['THEFT', 'BATTERY']]) {
      const query = `primary_type=${types.join(',')}&from=2014-03-10&to=2014-03-11&order=${order}`;
      const want = await expected(types, sqlOrder);
      // Three pages at least, so that cursors of mid-walk pages are reused too.
      expect(want.length).toBeGreaterThan(50);
      expect(await walk(query)).toEqual(want);
      const compiled = shapedSelectsCompiled(server.db.knex);
      expect(await walk(query)).toEqual(want);
      expect(shapedSelectsCompiled(server.db.knex)).toBe(compiled);
    }
  });

  it('answers another value of a cached shape with that value rows: THEFT, then BATTERY', async () => {
    const theft = await server.get('/v1/crimes?primary_type=THEFT&limit=50&fields=id,primary_type');
    const compiled = shapedSelectsCompiled(server.db.knex);
    const battery = await server.get('/v1/crimes?primary_type=BATTERY&limit=50&fields=id,primary_type');
    expect(shapedSelectsCompiled(server.db.knex)).toBe(compiled);
    expect(theft.body.data.length).toBeGreaterThan(0);
    expect(battery.body.data.length).toBeGreaterThan(0);
    expect(new Set(theft.body.data.map((row: { primary_type: string }) => row.primary_type))).toEqual(new Set(['THEFT']));
    expect(new Set(battery.body.data.map((row: { primary_type: string }) => row.primary_type))).toEqual(new Set(['BATTERY']));
  });
});
