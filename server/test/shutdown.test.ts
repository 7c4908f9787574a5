import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { silentLogger } from '../../core/log.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { loadSample } from '../../ingest/load-sample.js';
import { runCli } from './support/cli-process.js';
import { onPostgres } from './support/guarded-server.js';

/**
 * `lakefront serve` as a real process receiving SIGTERM while requests are in flight. The
 * requests are held in flight by a lock the test keeps, which needs a second connection to the
 * same database: a real PostgreSQL (PGlite belongs to the one process that opened it).
 */
describe.skipIf(!onPostgres)('graceful shutdown of lakefront serve (PostgreSQL only: the test holds a lock from outside)', () => {
  let db: Database;

  beforeAll(async () => {
    db = await createTestDatabase();
    await loadSample(db.knex, crimes, silentLogger);
    // Only the server's connections remain in the database from here on (close() still drops it).
    await db.knex.destroy();
  });
  afterAll(() => db?.close());

  it('on SIGTERM stops accepting, finishes the requests in flight, closes the pool and exits 0', async () => {
    const serve = runCli(['serve', '--port', '0'], { DATABASE_URL: databaseUrlOf(db)!, LOG_LEVEL: 'info', LAKEFRONT_SHUTDOWN_GRACE_MS: '20000' });
    try {
      const listening = await serve.waitFor(/Lakefront is listening/);
      const url = (JSON.parse(listening) as { url: string }).url.replace('localhost', '127.0.0.1');

      const admin = knexFactory({ client: 'pg', connection: databaseUrlOf(db), pool: { min: 1, max: 1 } });
      const others = async () =>
        (await admin.raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows[0].n as number;
      await fetch(`${url}/readyz`);
      expect(await others()).toBeGreaterThan(0);
      const trx = await admin.transaction();
      await trx.raw('LOCK TABLE lakefront.sync_state IN ACCESS EXCLUSIVE MODE');
      const inFlight = Array.from({ length: 3 }, () => fetch(`${url}/v1/datasets`).then(async (response) => ({ status: response.status, body: await response.json() })));
      // Wait until all three are really waiting on the lock inside the database.
      for (let waited = 0; waited < 100; waited += 1) {
        // Statistics views are a snapshot per transaction: drop it to see the present.
        await trx.raw('SELECT pg_stat_clear_snapshot()');
        const { rows } = await trx.raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows[0].n >= 3) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      serve.child.kill('SIGTERM');
      await serve.waitFor(/shutting down/);
      // No new connections once shutdown has begun.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(fetch(`${url}/healthz`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
      expect(serve.output()).not.toMatch(/"msg":"stopped"/);

      await trx.rollback();
      const answers = await Promise.all(inFlight);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(answers[0]!.body.data.find((entry: { key: string }) => entry.key === 'crimes')).toMatchObject({ row_count: 6957 });

      expect(await serve.exited).toEqual({ code: 0, signal: null });
      expect(serve.output()).toMatch(/"msg":"stopped"/);
      // The pool is closed: no connection of the server is left in the database.
      expect(await others()).toBe(0);
      await admin.destroy();
    } finally {
      serve.child.kill('SIGKILL');
    }
  });
});
