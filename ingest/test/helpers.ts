import type { SodaTestServer } from '../testing/soda-server.js';
import type { SyncOptions } from '../sync/sync-dataset.js';
import type { Logger } from '../../core/log.js';

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
