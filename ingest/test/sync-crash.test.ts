import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { readWatermark } from '../sync/state.js';
import { actualRows, expectedRows, inPortalOrder } from '../../testing/compare.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, TEST_TOKEN, withChildDatabase } from './helpers.js';

const PORTAL = 'ijzp-q8t2';
const BIN = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));
let server: SodaTestServer;
/** PostgreSQL: a fresh test database the child processes share. PGlite: a data directory. */
let db: Database | undefined;
let dataDir: string | undefined;
/** A freshly migrated database: the indexes data.crimes should have. */
let fresh: Database;

async function crimesIndexes(database: Database): Promise<unknown[]> {
  return (await database.knex.raw(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'data' AND tablename = 'crimes' ORDER BY indexname`)).rows;
}

beforeAll(async () => {
  server = await startSodaServer();
  serveFixture(server.store, PORTAL, { rows: 2000 });
  fresh = await createTestDatabase();
  if (process.env.DATABASE_URL) db = await createTestDatabase();
  else dataDir = mkdtempSync(path.join(tmpdir(), 'lakefront-crash-'));
});
afterAll(async () => {
  await server?.close();
  await db?.close();
  await fresh?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `lakefront sync crimes` as a real process; `killAfterPages` SIGKILLs it mid-sync. */
function runSync(killAfterPages?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const env = {
    ...process.env,
    LAKEFRONT_SOCRATA_URL: server.url,
    SOCRATA_APP_TOKEN: TEST_TOKEN,
    LOG_LEVEL: 'info',
    ...(db ? { DATABASE_URL: databaseUrlOf(db) } : { DATABASE_URL: '', LAKEFRONT_DATA_DIR: dataDir }),
  };
  const child = spawn(process.execPath, [BIN, 'sync', 'crimes', '--page-size', '250'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const written = stderr.split('\n').filter((line) => line.includes('"page written"')).length;
    if (killAfterPages !== undefined && written >= killAfterPages) child.kill('SIGKILL');
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}



describe(`a sync killed with SIGKILL (${BACKEND})`, () => {
  it('keeps exactly the committed pages, and a rerun ends equal to the portal', { timeout: 150_000 }, async () => {
    server.setDelay(150);
    const killed = await runSync(3);
    expect(killed.signal).toBe('SIGKILL');

    // What survived is exactly every row up to the committed watermark: nothing half-written.
    await withChildDatabase(db, dataDir, async (database) => {
      const watermark = await readWatermark(database.knex, 'crimes', PORTAL);
      expect(watermark).toBeDefined();
      const ordered = inPortalOrder(server.store.rows(PORTAL));
      const upTo = ordered.findIndex((row) => row[':id'] === watermark!.rowId) + 1;
      expect(upTo).toBeGreaterThanOrEqual(750);
      expect(upTo).toBeLessThan(ordered.length);
      expect(await actualRows(database.knex, crimes)).toEqual(expectedRows(crimes, [{ sourceId: PORTAL, rows: ordered.slice(0, upTo) }]));
      // The first sync loaded into an empty table with its secondary indexes deferred; the kill left them journaled.
      expect((await database.knex.raw(`SELECT count(*)::int AS n FROM lakefront.deferred_indexes WHERE kind = 'index'`)).rows[0].n).toBe(3);
    });

    server.setDelay(0);
    const rerun = await runSync();
    expect(rerun.stderr).not.toContain(TEST_TOKEN);
    expect(rerun.code).toBe(0);
    await withChildDatabase(db, dataDir, async (database) => {
      expect(await actualRows(database.knex, crimes)).toEqual(expectedRows(crimes, [{ sourceId: PORTAL, rows: server.store.rows(PORTAL) }]));
      // The rerun rebuilt them first: the indexes of a freshly migrated database, by name and definition.
      expect(await crimesIndexes(database)).toEqual(await crimesIndexes(fresh));
      expect((await database.knex.raw('SELECT count(*)::int AS n FROM lakefront.deferred_indexes')).rows[0].n).toBe(0);
    });
  });
});
