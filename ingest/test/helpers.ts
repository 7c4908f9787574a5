import type { SodaTestServer } from '../../testing/soda-server.js';
import type { SyncOptions } from '../sync/sync-dataset.js';
import type { Logger } from '../../core/log.js';
import { connect, type Database } from '../../core/db/connect.js';

export const TEST_TOKEN = 'test-app-token-5f2c9a';

export const BACKEND = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

/** Sync options pointing at a test portal, with retries fast enough for a test. */
export function syncOptions(server: SodaTestServer, log: Logger, extra: Partial<SyncOptions> = {}): SyncOptions {
  return {
    socrata: { baseUrl: server.url, appToken: TEST_TOKEN, retries: 8, minTimeoutMs: 5, maxTimeoutMs: 40 },
    log,
    pageSize: 500,
    ...extra,
  };
}

/**
 * Runs `work` on the database a child `lakefront` process used: the shared test database on
 * PostgreSQL, or (PGlite) the child's data directory, opened only while the child is not running.
 */
export async function withChildDatabase<T>(
  db: Database | undefined,
  dataDir: string | undefined,
  work: (database: Database) => Promise<T>,
): Promise<T> {
  if (db) return work(db);
  const local = await connect({ dataDir });
  try {
    return await work(local);
  } finally {
    await local.close();
  }
}
