import type { Knex } from 'knex';
import type { Database } from '../../core/db/connect.js';

/** Datasets being synced by this process, per database handle (PGlite has one shared session). */
const heldInProcess = new WeakMap<Knex, Set<string>>();

export type ReleaseLock = () => Promise<void>;

/**
 * Takes the advisory lock for a dataset, or returns null when another worker (another process,
 * or another sync in this one) holds it. On PostgreSQL the lock lives on a connection of its own,
 * held for the whole sync, so it is released even if this process dies.
 */
export async function tryLockDataset(db: Database, datasetKey: string): Promise<ReleaseLock | null> {
  const lockKey = `lakefront:sync:${datasetKey}`;
  const held = heldInProcess.get(db.knex) ?? new Set<string>();
  heldInProcess.set(db.knex, held);
  if (held.has(lockKey)) return null;
  held.add(lockKey);
  try {
    const release = db.backend === 'postgres' ? await lockOnOwnConnection(db.knex, lockKey) : await lockOnSession(db.knex, lockKey);
    if (!release) held.delete(lockKey);
    return release
      ? async () => {
          held.delete(lockKey);
          await release();
        }
      : null;
  } catch (error) {
    held.delete(lockKey);
    throw error;
  }
}

interface PgConnection {
  query(sql: string, values: unknown[]): Promise<{ rows: { locked: boolean }[] }>;
}

async function lockOnOwnConnection(knex: Knex, lockKey: string): Promise<ReleaseLock | null> {
  const connection = (await knex.client.acquireConnection()) as PgConnection;
  try {
    const { rows } = await connection.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockKey]);
    if (!rows[0]?.locked) {
      await knex.client.releaseConnection(connection);
      return null;
    }
  } catch (error) {
    await knex.client.releaseConnection(connection);
    throw error;
  }
  return async () => {
    try {
      await connection.query('SELECT pg_advisory_unlock(hashtext($1)) AS locked', [lockKey]);
    } finally {
      await knex.client.releaseConnection(connection);
    }
  };
}

/** PGlite is one session: the lock call works, the in-process set does the real exclusion. */
async function lockOnSession(knex: Knex, lockKey: string): Promise<ReleaseLock | null> {
  const result = await knex.raw('SELECT pg_try_advisory_lock(hashtext(?)) AS locked', [lockKey]);
  if (!result.rows[0]?.locked) return null;
  return async () => {
    await knex.raw('SELECT pg_advisory_unlock(hashtext(?))', [lockKey]);
  };
}
