import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { readSyncStates } from '../sync/state.js';
import { syncDataset } from '../sync/sync-dataset.js';
import { actualRows, expectedRows } from '../../testing/compare.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import type { Row } from '../../testing/soql.js';
import { BACKEND, syncOptions } from './helpers.js';

const PORTAL = 'ijzp-q8t2';
let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer();
  // A slice of the real sample keeps the three full passes here quick on PGlite.
  serveFixture(server.store, PORTAL, { rows: 1500 });
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const source = () => expectedRows(crimes, [{ sourceId: PORTAL, rows: server.store.rows(PORTAL) }]);
const byId = (id: string) => (row: Row) => row.id === id;
const sync = (extra = {}) => syncDataset(db, crimes, syncOptions(server, capturingLogger().log, extra));

describe(`incremental sync (${BACKEND})`, () => {
  it('backfills, then picks up updates and inserts made at the source, and --full removes deletions', async () => {
    expect((await sync()).status).toBe('synced');
    expect(await actualRows(db.knex, crimes)).toEqual(source());

    const [first, second, third] = server.store.rows(PORTAL).slice(0, 3).map((row) => String(row.id));
    server.store.update(PORTAL, byId(first!), { primary_type: 'CORRECTED TYPE', arrest: true });
    server.store.update(PORTAL, byId(second!), { ward: undefined, location_description: "O'HARE \\ TERMINAL\t2" });
    const template = server.store.rows(PORTAL)[10]!;
    server.store.insert(PORTAL, [
      { ...template, id: '99000001', case_number: 'NEW0001' },
      { ...template, id: '99000002', case_number: 'NEW0002' },
    ]);
    server.store.remove(PORTAL, byId(third!));

    const incremental = await sync();
    expect(incremental.sources[0]!.rowsRead).toBe(4);
    const afterIncremental = await actualRows(db.knex, crimes);
    // Updates and inserts arrived; the deletion is invisible to an incremental pass.
    expect(afterIncremental.find((row) => row.id === Number(first))).toMatchObject({ primary_type: 'CORRECTED TYPE', arrest: true });
    expect(afterIncremental.find((row) => row.id === Number(second))).toMatchObject({ ward: null, location_description: "O'HARE \\ TERMINAL\t2" });
    expect(afterIncremental.filter((row) => Number(row.id) >= 99000001)).toHaveLength(2);
    expect(afterIncremental.some((row) => row.id === Number(third))).toBe(true);
    expect(afterIncremental).toHaveLength(source().length + 1);

    const full = await sync({ full: true });
    expect(full.status).toBe('synced');
    expect(full.sources[0]).toMatchObject({ rowsRead: source().length, deleted: 1, rowsTotal: source().length });
    expect(await actualRows(db.knex, crimes)).toEqual(source());
    const [state] = await readSyncStates(db.knex);
    expect(state!.rows_total).toBe(source().length);
  });

  it('neither skips nor repeats rows that change while the sync is paging', async () => {
    const ids = server.store.rows(PORTAL).map((row) => String(row.id));
    let mutated = false;
    server.store.update(PORTAL, () => true, {}); // every row gets a new :updated_at: a full re-read
    const summary = await sync({
      pageSize: 200,
      onProgress: ({ pages }: { pages: number }) => {
        if (pages !== 2 || mutated) return;
        mutated = true;
        // One row already read and one not yet read change mid-sync; both move to the end.
        server.store.update(PORTAL, byId(ids[5]!), { block: 'CHANGED WHILE PAGING A' });
        server.store.update(PORTAL, byId(ids[ids.length - 5]!), { block: 'CHANGED WHILE PAGING B' });
      },
    });
    expect(mutated).toBe(true);
    expect(summary.status).toBe('synced');
    // A changed row is read again at its new position (at most once more each), never lost.
    expect(summary.sources[0]!.rowsRead).toBeGreaterThanOrEqual(ids.length);
    expect(summary.sources[0]!.rowsRead).toBeLessThanOrEqual(ids.length + 2);
    expect(await actualRows(db.knex, crimes)).toEqual(source());
  });

  it('bounds a backfill with --since on the time column, and --full --since only sweeps inside that window', async () => {
    const fresh = await createTestDatabase();
    try {
      const dates = server.store.rows(PORTAL).map((row) => String(row.date)).sort();
      const since = `${dates[Math.floor(dates.length / 2)]!.slice(0, 10)}T00:00:00.000`;
      const inWindow = server.store.rows(PORTAL).filter((row) => String(row.date) >= since);
      const summary = await syncDataset(fresh, crimes, syncOptions(server, capturingLogger().log, { since }));
      expect(summary.status).toBe('synced');
      expect(inWindow.length).toBeGreaterThan(10);
      expect(inWindow.length).toBeLessThan(server.store.rows(PORTAL).length);
      expect(await actualRows(fresh.knex, crimes)).toEqual(expectedRows(crimes, [{ sourceId: PORTAL, rows: inWindow }]));

      const old = server.store.rows(PORTAL).find((row) => String(row.date) < since)!;
      await fresh.knex('data.crimes').insert({ ...(await db.knex('data.crimes').where({ id: Number(old.id) }).first()) });
      const full = await syncDataset(fresh, crimes, syncOptions(server, capturingLogger().log, { since, full: true }));
      expect(full.sources[0]!.deleted).toBe(0);
      expect(await fresh.knex('data.crimes').where({ id: Number(old.id) }).first()).toBeDefined();
    } finally {
      await fresh.close();
    }
  });
});
