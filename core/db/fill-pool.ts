import type { Database } from './connect.js';

/**
 * Opens the `count` connections a pool keeps now, rather than one by one while the first requests
 * of a burst wait for them. Queries started in one tick each need a connection of their own, so the
 * pool opens them together. Best effort: a database that is down or refuses is left to the pool,
 * which connects on demand once it answers.
 */
export async function fillPool(db: Database, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => db.knex.raw('SELECT 1'))).catch(() => undefined);
}
