import type { Database } from '../../core/db/connect.js';
import { startSyncScheduler } from '../../ingest/sync/scheduler.js';
import { openDatabase, type CliContext } from '../context.js';

/**
 * Embedded mode reads only recent rows: the API shares PGlite's one connection. Pages are the
 * sync's default (2,500 rows), small enough that the API waits little behind one write.
 */
const EMBEDDED = { backfillDays: 30 };

/**
 * `serve --sync-every`: the sync scheduler inside the server process. It writes with the owner
 * connection: the shared one on PGlite, a pool of its own on PostgreSQL (where the API may run
 * as a read-only role).
 */
export async function startServeSync(context: CliContext, shared: Database | undefined, everyMs: number): Promise<{ stop(): Promise<void> }> {
  const db = shared ?? (await openDatabase(context, { poolMax: 3 }));
  const scheduler = startSyncScheduler({
    db,
    log: context.log,
    everyMs,
    socrata: { baseUrl: context.config.socrataUrl, appToken: context.config.socrataAppToken },
    ...(db.backend === 'pglite' ? EMBEDDED : {}),
  });
  return {
    async stop() {
      await scheduler.stop();
      if (!shared) await db.close();
    },
  };
}
