import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { silentLogger } from '../../core/log.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { loadSample } from '../../ingest/load-sample.js';
import { runCli } from './support/cli-process.js';
import { onPostgres } from './support/guarded-server.js';

/**
 * `lakefront serve` keeps its connections open, so that a burst of requests after a quiet spell
 * does not wait for connection set-ups. The server's connections are counted from outside, in
 * pg_stat_activity: a real PostgreSQL.
 */
describe.skipIf(!onPostgres)('the API connection pool of lakefront serve (PostgreSQL only: counted from pg_stat_activity)', () => {
  let db: Database;
  let admin: Knex;

  beforeAll(async () => {
    db = await createTestDatabase();
    await loadSample(db.knex, crimes, silentLogger);
    // Only the server's connections remain in the database from here on (close() still drops it).
    await db.knex.destroy();
    admin = knexFactory({ client: 'pg', connection: databaseUrlOf(db), pool: { min: 1, max: 1 } });
  });
  afterAll(async () => {
    await admin?.destroy();
    await db?.close();
  });

  /** The backends of the server under test, by process id. */
  const serverBackends = async (): Promise<number[]> => {
    const { rows } = await admin.raw(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY pid`,
    );
    return (rows as { pid: number }[]).map((row) => row.pid);
  };

  it('opens its 10 connections before the first request, and a burst of 10 lists reuses them', async () => {
    const serve = runCli(['serve', '--port', '0'], { DATABASE_URL: databaseUrlOf(db)!, LOG_LEVEL: 'info' });
    try {
      const listening = await serve.waitFor(/Lakefront is listening/);
      const url = (JSON.parse(listening) as { url: string }).url.replace('localhost', '127.0.0.1');
      let atStart: number[] = [];
      for (let waited = 0; waited < 50 && atStart.length < 10; waited += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        atStart = await serverBackends();
      }
      expect(atStart).toHaveLength(10);

      const pages = await Promise.all(
        Array.from({ length: 10 }, async (_, index) => {
          const response = await fetch(`${url}/v1/crimes?primary_type=THEFT&limit=${index + 1}`);
          return { status: response.status, rows: ((await response.json()) as { data: unknown[] }).data.length };
        }),
      );
      expect(pages).toEqual(Array.from({ length: 10 }, (_, index) => ({ status: 200, rows: index + 1 })));
      expect(await serverBackends()).toEqual(atStart);
    } finally {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
  });
});
