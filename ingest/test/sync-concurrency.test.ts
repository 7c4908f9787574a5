import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { connect, type Database } from '../../core/db/connect.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { syncDataset } from '../sync/sync-dataset.js';
import { actualRows, expectedRows } from '../../testing/compare.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, syncOptions } from './helpers.js';

const PORTAL = 'ijzp-q8t2';
let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  // Slow answers keep the first sync holding its lock while the second one starts.
  server = await startSodaServer({ delayMs: 30 });
  serveFixture(server.store, PORTAL, { rows: 2000 });
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const source = () => expectedRows(crimes, [{ sourceId: PORTAL, rows: server.store.rows(PORTAL) }]);

describe(`concurrent syncs of one dataset (${BACKEND})`, () => {
  it('lets one sync run and the other exit cleanly, leaving no duplicates', async () => {
    const first = capturingLogger();
    const second = capturingLogger();
    const [a, b] = await Promise.all([
      syncDataset(db, crimes, syncOptions(server, first.log, { pageSize: 200 })),
      syncDataset(db, crimes, syncOptions(server, second.log, { pageSize: 200 })),
    ]);
    expect([a.status, b.status].sort()).toEqual(['locked', 'synced']);
    const skipped = a.status === 'locked' ? first : second;
    expect(skipped.text()).toContain('another worker is syncing crimes; skipped');
    expect(await actualRows(db.knex, crimes)).toEqual(source());

    // The lock is released afterwards: the next sync runs.
    expect((await syncDataset(db, crimes, syncOptions(server, capturingLogger().log))).status).toBe('synced');
  });

  it.skipIf(!process.env.DATABASE_URL)('excludes a second worker on another connection (PostgreSQL advisory lock)', async () => {
    // Two independent pools on one database: what two CronJob pods are. PGlite has one session
    // per data directory, so this case exists only on PostgreSQL.
    const other = await connect({ databaseUrl: databaseUrlOf(db), poolMax: 3 });
    try {
      server.store.update(PORTAL, () => true, { block: 'TOUCHED FOR A SECOND PASS' });
      const [a, b] = await Promise.all([
        syncDataset(db, crimes, syncOptions(server, capturingLogger().log, { pageSize: 200 })),
        syncDataset(other, crimes, syncOptions(server, capturingLogger().log, { pageSize: 200 })),
      ]);
      expect([a.status, b.status].sort()).toEqual(['locked', 'synced']);
      expect(await actualRows(db.knex, crimes)).toEqual(source());
      const duplicates = await db.knex.raw('SELECT id FROM data.crimes GROUP BY id HAVING count(*) > 1');
      expect(duplicates.rows).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
