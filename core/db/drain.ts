import type { Database } from './connect.js';

interface PoolCounts {
  numUsed(): number;
  numPendingAcquires(): number;
}

/**
 * Waits until no statement holds or awaits a pooled connection, or `ms` have passed. A server
 * stopping calls it after its sockets closed: handlers of requests whose clients already left may
 * still be running, and destroying the pool under them would only turn them into logged errors.
 */
export async function waitForIdlePool(db: Database, ms: number): Promise<boolean> {
  const pool = (db.knex.client as { pool?: PoolCounts }).pool;
  const deadline = Date.now() + ms;
  const busy = () => (pool ? pool.numUsed() + pool.numPendingAcquires() > 0 : false);
  while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  return !busy();
}
