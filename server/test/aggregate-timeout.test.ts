import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { connect, type Database } from '../../core/db/connect.js';
import { silentLogger } from '../../core/log.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { loadSample } from '../../ingest/load-sample.js';
import { onPostgres, startGuardedServer, type GuardedServer } from './support/guarded-server.js';

/**
 * An aggregate the database gives up on (statement_timeout, SQLSTATE 57014) is a 503 problem+json
 * saying how to narrow it, promptly: never a hung connection. The API's pool runs with a 300 ms
 * statement_timeout, and another session holds an exclusive lock on the crimes table, so a GROUP BY
 * over it waits like a slow one would until PostgreSQL cancels it. No request can make the server
 * sleep: the slowness comes from outside, as it would in production.
 *
 * Real PostgreSQL only: PGlite runs each query to its end on the event loop and ignores
 * statement_timeout (a 15 s query under `SET statement_timeout = 50` completes), and it has one
 * session, so nothing else can hold a lock.
 */
describe.skipIf(!onPostgres)('an aggregate that exceeds statement_timeout (real PostgreSQL)', () => {
  const STATEMENT_TIMEOUT_MS = 300;
  let owner: Database;
  let apiDb: Database;
  let server: GuardedServer;

  beforeAll(async () => {
    owner = await createTestDatabase();
    await loadSample(owner.knex, crimes, silentLogger);
    await refreshRollups(owner);
    apiDb = await connect({ databaseUrl: databaseUrlOf(owner)!, poolMax: 4, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    // The request timeout is far above the statement timeout: the 503 must come from the database.
    server = await startGuardedServer({ db: apiDb, limits: { requestTimeoutMs: 20_000 } });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await apiDb?.close();
    await owner?.close();
  });

  /** Holds an exclusive lock on data.crimes from another session while `work` runs. */
  async function whileCrimesLocked(work: () => Promise<void>): Promise<void> {
    const trx = await owner.knex.transaction();
    try {
      await trx.raw('LOCK TABLE data.crimes IN ACCESS EXCLUSIVE MODE');
      await work();
    } finally {
      await trx.rollback();
    }
  }

  it('answers 503 problem+json naming how to narrow it, within moments of the timeout, and the next request is served', async () => {
    const path = '/v1/crimes/aggregate?group_by=primary_type,arrest&avg=latitude';
    const expected = (await owner.knex.raw(`SELECT count(DISTINCT (primary_type, arrest))::int AS groups FROM data.crimes`)).rows[0].groups as number;

    await whileCrimesLocked(async () => {
      const started = Date.now();
      const response = await server.request(path);
      const elapsed = Date.now() - started;
      expect(response.status, response.text).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
      expect(response.body.detail).toMatch(/took too long and was cancelled\. Narrow it: /);
      // The advice fits the request: it grouped by two columns and asked for an average over all time.
      expect(response.body.detail).toContain('a shorter from/to range');
      expect(response.body.detail).toContain('fewer group_by columns');
      expect(response.body.detail).toContain('no sum/avg/min/max');
      expect(elapsed).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS);
      expect(elapsed).toBeLessThan(5_000);
    });

    // The lock is gone: the same request is answered, over the same pool.
    const after = await server.request(path);
    expect(after.status, after.text).toBe(200);
    expect(after.body.data).toHaveLength(expected);
  });

  it('keeps answering from the rollups while the table is locked: a count by one column never reads it', async () => {
    const expected = (await owner.knex.raw(`SELECT count(*)::int AS count FROM data.crimes WHERE primary_type = 'THEFT'`)).rows[0].count as number;
    await whileCrimesLocked(async () => {
      const response = await server.request('/v1/crimes/aggregate?group_by=primary_type&primary_type=THEFT');
      expect(response.status, response.text).toBe(200);
      expect(response.body.data).toEqual([{ primary_type: 'THEFT', count: expected }]);
    });
  });
});
