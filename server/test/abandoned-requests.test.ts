import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { databaseUrlOf } from '../../core/testing/test-database.js';
import { loadSample } from '../../ingest/load-sample.js';
import { CANCEL_GRACE_MS } from '../src/middleware/abandoned-work.js';
import { onPostgres, startGuardedServer, type GuardedServer } from './support/guarded-server.js';

/**
 * A client that gives up must not leave its query running: #23 saw twelve clients that gave up on
 * a locked table hold the whole pool, and a request to another table wait 12.75 s for it.
 * PGlite runs in-process on one connection: there is no pool to exhaust, so this runs on PostgreSQL.
 */
describe.skipIf(!onPostgres)('abandoned requests on real PostgreSQL', () => {
  let server: GuardedServer;
  /** Holds the lock (one connection) and watches pg_stat_activity (the other), outside the API's pool. */
  let locker: Knex;

  beforeAll(async () => {
    server = await startGuardedServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)), validateResponses: false });
    locker = knexFactory({ client: 'pg', connection: databaseUrlOf(server.db), pool: { min: 0, max: 2 } });
  });
  afterAll(async () => {
    await locker?.destroy();
    await server?.stop();
  });

  const waitingOnLock = async () =>
    Number(
      (
        await locker.raw(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
        )
      ).rows[0].n,
    );

  async function until(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      if (await condition()) return true;
    }
    return condition();
  }

  it('cancels the queries of clients that left, and another dataset is served while the lock is still held', async () => {
    const pool = (server.db.knex.client.config.pool as { max: number }).max;
    await locker.transaction(async (trx) => {
      await trx.raw('LOCK TABLE data.crimes IN ACCESS EXCLUSIVE MODE');
      // More clients than the pool has connections, each giving up after 1 s: pages, counts and exports.
      const paths = ['/v1/crimes?limit=1', '/v1/crimes?limit=5&count=exact', '/v1/crimes?format=csv', '/v1/crimes?format=ndjson&limit=3'];
      const clients = Array.from({ length: pool + 3 }, (_, index) =>
        fetch(server.url + paths[index % paths.length], { signal: AbortSignal.timeout(1_000) }).then(
          () => 'answered',
          (error: Error) => error.name,
        ),
      );
      expect(await until(async () => (await waitingOnLock()) === pool, 5_000)).toBe(true);
      expect(new Set(await Promise.all(clients))).toEqual(new Set(['TimeoutError']));

      // Every query of the clients that left is cancelled: nothing of the API waits on the lock.
      expect(await until(async () => (await waitingOnLock()) === 0, 3_000)).toBe(true);
      // The pool is free: another dataset answers while data.crimes is still locked.
      const other = await fetch(`${server.url}/v1/cta-stops?limit=1`, { signal: AbortSignal.timeout(5_000) });
      expect(other.status).toBe(200);
      expect(await waitingOnLock()).toBe(0);
    });
    // And the locked table serves again once the lock is gone.
    const page = await server.request('/v1/crimes?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(2);
  }, 30_000);

  it('lets a query that ends soon after its client left finish, without opening a connection to cancel it', async () => {
    const client = server.db.knex.client as { cancelQuery(connection: unknown): Promise<unknown> };
    const cancelQuery = client.cancelQuery.bind(client);
    let cancels = 0;
    client.cancelQuery = (connection) => {
      cancels += 1;
      return cancelQuery(connection);
    };
    try {
      const trx = await locker.transaction();
      await trx.raw('LOCK TABLE data.crimes IN ACCESS EXCLUSIVE MODE');
      const leaving = Array.from({ length: 3 }, () =>
        fetch(`${server.url}/v1/crimes?limit=1`, { signal: AbortSignal.timeout(500) }).then(
          () => 'answered',
          (error: Error) => error.name,
        ),
      );
      expect(await until(async () => (await waitingOnLock()) === 3, 5_000)).toBe(true);
      expect(await Promise.all(leaving)).toEqual(['TimeoutError', 'TimeoutError', 'TimeoutError']);
      // The lock goes at once, well within the grace: the three queries end on their own.
      await trx.commit();
      await new Promise((resolve) => setTimeout(resolve, 3 * CANCEL_GRACE_MS));
      expect(cancels).toBe(0);
      expect(await waitingOnLock()).toBe(0);
      const page = await server.request('/v1/crimes?limit=2');
      expect(page.status).toBe(200);
      expect(page.body.data).toHaveLength(2);
    } finally {
      client.cancelQuery = cancelQuery;
    }
  }, 30_000);

  it('a client that leaves during a read other requests share (the data version) fails none of them', async () => {
    // The data version is read once a second and shared by every request of that second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const trx = await locker.transaction();
    await trx.raw('LOCK TABLE lakefront.data_version IN ACCESS EXCLUSIVE MODE');
    const leaving = fetch(`${server.url}/v1/crimes?limit=1`, { signal: AbortSignal.timeout(1_000) }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    expect(await until(async () => (await waitingOnLock()) === 1, 5_000)).toBe(true);
    const staying = Array.from({ length: 3 }, () => fetch(`${server.url}/v1/crimes?limit=2`, { signal: AbortSignal.timeout(10_000) }));
    expect(await leaving).toBe('TimeoutError');
    // Time for a cancel of the shared read to land, had the leaving client's departure sent one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await trx.commit();
    const answers = await Promise.all(staying.map(async (response) => [(await response).status, (((await (await response).json()) as { data?: unknown[] }).data ?? []).length]));
    expect(answers).toEqual([
      [200, 2],
      [200, 2],
      [200, 2],
    ]);
  }, 30_000);
});
