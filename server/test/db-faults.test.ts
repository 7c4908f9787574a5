import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { databaseUrlOf } from '../../core/testing/test-database.js';
import { loadSample } from '../../ingest/load-sample.js';
import { syncDataset } from '../../ingest/sync/sync-dataset.js';
import { actualRows, expectedRows } from '../../testing/compare.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { startSodaServer } from '../../testing/soda-server.js';
import { syncOptions } from '../../ingest/test/helpers.js';
import { onPostgres, startGuardedServer, type GuardedServer } from './support/guarded-server.js';

/**
 * The database goes away under a running API and a running ingest: backends killed with
 * pg_terminate_backend, and the database refusing connections for a while. Nothing restarts.
 */
/**
 * pg_terminate_backend only signals a backend; with a timeout it returns once the backend is gone
 * (PostgreSQL 14+), so what the test does next meets a database whose backends really died. Without
 * it, on a busy machine a killed idle backend could outlive the kill and be handed to /readyz.
 */
const KILL_WAIT_MS = 5000;

describe.skipIf(!onPostgres)('database faults on real PostgreSQL (PGlite runs in-process: skipped there)', () => {
  let server: GuardedServer;
  /** The operator's connection: outside the API's pool, never terminated by the test. */
  let admin: Knex;
  /** Connected to the server's own database: a database cannot refuse connections to itself. */
  let cluster: Knex;
  let database: string;

  beforeAll(async () => {
    server = await startGuardedServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)) });
    admin = knexFactory({ client: 'pg', connection: databaseUrlOf(server.db), pool: { min: 1, max: 1 } });
    database = (await admin.raw('SELECT current_database() AS name')).rows[0].name;
    cluster = knexFactory({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
  });
  afterAll(async () => {
    await cluster?.raw(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await cluster?.destroy();
    await admin?.destroy();
    await server?.stop();
  });

  async function terminateOthers(): Promise<number> {
    const result = await admin.raw(`SELECT count(pg_terminate_backend(pid, ${KILL_WAIT_MS}))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    return result.rows[0].n;
  }

  async function readyWithin(ms: number): Promise<boolean> {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      if ((await server.request('/readyz')).status === 200) return true;
    }
    return false;
  }

  function expectUnavailable(response: { status: number; headers: Headers; body: any; text: string }): void {
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(response.text).not.toMatch(/terminat|postgres:\/\/|SQLSTATE|at .*\.ts/i);
  }

  it('answers requests in flight with 503 when their backends are killed, then recovers', async () => {
    // Hold requests in flight: they wait on a lock that the operator's transaction keeps.
    const trx = await admin.transaction();
    try {
      // Each list request runs its own page query against data.crimes (no shared cache there).
      await trx.raw('LOCK TABLE data.crimes IN ACCESS EXCLUSIVE MODE');
      const inFlight = Array.from({ length: 4 }, (_, index) => server.request(`/v1/crimes?limit=${index + 1}`));
      // Wait until all four are really waiting on the lock inside the database.
      for (let waited = 0; waited < 200; waited += 1) {
        // Statistics views are a snapshot per transaction: drop it to see the present.
        await trx.raw('SELECT pg_stat_clear_snapshot()');
        const { rows } = await trx.raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows[0].n >= 4) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await trx.raw('SELECT pg_stat_clear_snapshot()');
      const killed = (await trx.raw(`SELECT count(pg_terminate_backend(pid, ${KILL_WAIT_MS}))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows[0].n;
      expect(killed).toBeGreaterThanOrEqual(4);
      for (const response of await Promise.all(inFlight)) expectUnavailable(response);
    } finally {
      await trx.rollback();
    }

    // The pool replaces its dead connections by itself: green again within seconds, as a
    // readiness probe (which repeats) sees it; a connection killed while idle is dropped on use.
    expect(await readyWithin(5_000)).toBe(true);
    const list = await server.request('/v1/crimes?limit=3');
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(3);
  });

  it('goes red on /readyz while the database refuses connections, and green again after, without a restart', async () => {
    await cluster.raw(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    try {
      await cluster.raw(`SELECT pg_terminate_backend(pid, ${KILL_WAIT_MS}) FROM pg_stat_activity WHERE datname = ?`, [database]);
      const ready = await server.request('/readyz');
      expectUnavailable(ready);
      expectUnavailable(await server.request('/v1/crimes?limit=3'));
      expectUnavailable(await server.request('/v1/datasets'));
      // Liveness is about the process, which is fine.
      expect((await server.request('/healthz')).status).toBe(200);
    } finally {
      await cluster.raw(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    }
    expect((await server.request('/readyz')).status).toBe(200);
    expect((await server.request('/v1/crimes?limit=3')).status).toBe(200);
    const metrics = (await server.request('/metrics')).text;
    expect(metrics).toMatch(/lakefront_http_requests_total\{method="GET",route="\/readyz",status="503"\} [1-9]/);
  });

  it('an ingest whose connections are killed mid-run fails cleanly and the rerun ends equal to the portal', async () => {
    const portal = await startSodaServer();
    try {
      serveFixture(portal.store, 'ijzp-q8t2');
      await admin.raw('TRUNCATE data.crimes');
      await admin.raw(`DELETE FROM lakefront.sync_state WHERE dataset = 'crimes'`);
      let terminations = 0;
      const interrupted = await syncDataset(
        server.db,
        crimes,
        syncOptions(portal, silentLogger, {
          pageSize: 250,
          onProgress: ({ pages }) => {
            // After a few committed pages, kill every backend of the database, the ingest's included.
            if (pages === 5 && terminations === 0) {
              terminations = 1;
              void terminateOthers();
            }
          },
        }),
      );
      expect(terminations).toBe(1);
      expect(interrupted.status).toBe('failed');
      const [{ partial }] = (await admin.raw('SELECT count(*)::int AS partial FROM data.crimes')).rows;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(6957);

      const resumed = await syncDataset(server.db, crimes, syncOptions(portal, silentLogger, { pageSize: 250 }));
      expect(resumed.error).toBeUndefined();
      expect(resumed.status).toBe('synced');
      const expected = expectedRows(crimes, [{ sourceId: 'ijzp-q8t2', rows: portal.store.rows('ijzp-q8t2') }]);
      expect(await actualRows(server.db.knex, crimes)).toEqual(expected);
    } finally {
      await portal.close();
    }
  });
});
