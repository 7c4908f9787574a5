import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { runCli } from '../../server/test/support/cli-process.js';
import { readWatermark } from '../sync/state.js';
import { actualRows, expectedRows, inPortalOrder } from '../../testing/compare.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, TEST_TOKEN, withChildDatabase } from './helpers.js';

const PORTAL = 'ijzp-q8t2';
let server: SodaTestServer;
let db: Database | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  server = await startSodaServer();
  serveFixture(server.store, PORTAL, { rows: 3000 });
  if (process.env.DATABASE_URL) db = await createTestDatabase();
  else dataDir = mkdtempSync(path.join(tmpdir(), 'lakefront-sigterm-'));
});
afterAll(async () => {
  await server?.close();
  await db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function sync() {
  return runCli(['sync', 'crimes', '--page-size', '250'], {
    LAKEFRONT_SOCRATA_URL: server.url,
    SOCRATA_APP_TOKEN: TEST_TOKEN,
    LOG_LEVEL: 'info',
    ...(db ? { DATABASE_URL: databaseUrlOf(db) } : { DATABASE_URL: '', LAKEFRONT_DATA_DIR: dataDir }),
  });
}



describe(`a sync stopped with SIGTERM (${BACKEND})`, () => {
  it('commits the page in hand, exits 0, and the rerun resumes to exact equality', { timeout: 150_000 }, async () => {
    server.setDelay(150);
    const stopped = sync();
    await stopped.waitFor(/"page":3,.*"msg":"page written"/);
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited).toEqual({ code: 0, signal: null });
    expect(stopped.output()).toMatch(/SIGTERM: stopping after the page being written commits/);
    expect(stopped.output()).toMatch(/stopped between pages; the next sync resumes from the saved watermark/);

    // Every page written before the stop is there in full, up to the watermark, and nothing past it.
    const pagesWritten = stopped.output().split('\n').filter((line) => line.includes('"page written"')).length;
    await withChildDatabase(db, dataDir, async (database) => {
      const watermark = await readWatermark(database.knex, 'crimes', PORTAL);
      const ordered = inPortalOrder(server.store.rows(PORTAL));
      const upTo = ordered.findIndex((row) => row[':id'] === watermark!.rowId) + 1;
      expect(upTo).toBe(pagesWritten * 250);
      expect(upTo).toBeLessThan(ordered.length);
      expect(await actualRows(database.knex, crimes)).toEqual(expectedRows(crimes, [{ sourceId: PORTAL, rows: ordered.slice(0, upTo) }]));
    });

    server.setDelay(0);
    const rerun = sync();
    expect((await rerun.exited).code).toBe(0);
    await withChildDatabase(db, dataDir, async (database) => {
      expect(await actualRows(database.knex, crimes)).toEqual(expectedRows(crimes, [{ sourceId: PORTAL, rows: server.store.rows(PORTAL) }]));
    });
  });
});
