import { datasets } from '../../core/datasets/index.js';
import { migrateLatest } from '../../core/db/migrate.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { waitForIdlePool } from '../../core/db/drain.js';
import { limitsFromEnv } from '../../server/src/limits.js';
import { listen } from '../../server/src/listen.js';
import { openApiDatabase } from './api-database.js';
import { startServeSync } from './serve-sync.js';
import { openDatabase, type CliContext } from '../context.js';

/** Embedded (PGlite) mode syncs every 4 minutes unless `--sync-every off`; PostgreSQL mode only when asked. */
const EMBEDDED_SYNC_EVERY_MS = 4 * 60_000;

export async function serveCommand(context: CliContext, options: { port?: number; syncEvery?: number }): Promise<void> {
  const { config, log } = context;
  // No statement_timeout here: migrations may build indexes on millions of rows. The API's own
  // connection (openApiDatabase) has one.
  const db = await openDatabase(context);
  await migrateLatest(db.knex);
  if (db.backend === 'pglite') {
    // The embedded database starts with real data so a fresh machine has something to serve.
    const loaded = [];
    for (const dataset of datasets) loaded.push(await loadSample(db.knex, dataset, log, { onlyIfEmpty: true }));
    // Samples load without boundaries at hand; compute the geo columns once all are in.
    if (loaded.some((result) => !result.skipped)) {
      await recomputeEnrichment(db, undefined, { log });
      await refreshRollups(db);
    }
  }
  const limits = limitsFromEnv();
  const apiDb = await openApiDatabase(context, db, limits);
  const running = await listen({ db: apiDb, log, limits }, options.port ?? config.port);
  log.info({ url: `http://localhost:${running.port}`, docs: `http://localhost:${running.port}/docs` }, 'Lakefront is listening');
  const syncEvery = options.syncEvery ?? (db.backend === 'pglite' ? EMBEDDED_SYNC_EVERY_MS : 0);
  const sync = syncEvery > 0 ? await startServeSync(context, apiDb === db ? db : undefined, syncEvery) : undefined;

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down: finishing requests in flight');
    try {
      await running.shutdown(limits.shutdownGraceMs);
      await waitForIdlePool(apiDb, limits.shutdownGraceMs);
      await sync?.stop();
      await apiDb.close();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
