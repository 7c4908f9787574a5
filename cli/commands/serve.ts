import { migrateLatest } from '../../core/db/migrate.js';
import { waitForIdlePool } from '../../core/db/drain.js';
import { loadSamples } from '../../ingest/load-sample.js';
import { limitsFromEnv } from '../../server/src/limits.js';
import { listen } from '../../server/src/listen.js';
import { openApiDatabase } from './api-database.js';
import { hintWhenEmpty } from './empty-database.js';
import { startServeSync } from './serve-sync.js';
import { openDatabase, type CliContext } from '../context.js';

/** `start` on embedded PGlite syncs every 4 minutes unless `--sync-every off`; otherwise only when asked. */
const EMBEDDED_SYNC_EVERY_MS = 4 * 60_000;

export interface ServeOptions {
  readonly port?: number;
  readonly syncEvery?: number;
  /**
   * `lakefront start` (`npm start`, the demo): load the bundled samples into empty tables and, on
   * PGlite, sync every 4 minutes. `lakefront serve` writes no rows unless `--sync-every` asks.
   */
  readonly demo?: boolean;
}

export async function serveCommand(context: CliContext, options: ServeOptions): Promise<void> {
  const { config, log } = context;
  // No statement_timeout here: migrations may build indexes on millions of rows. The API's own
  // connection (openApiDatabase) has one.
  const db = await openDatabase(context);
  await migrateLatest(db.knex);
  // The demo starts with real data on any database: empty tables get their bundled sample (then
  // geo columns and reports are computed); tables holding rows, synced or loaded before, are left alone.
  if (options.demo) await loadSamples(db, log, { onlyIfEmpty: true });
  const limits = limitsFromEnv();
  const apiDb = await openApiDatabase(context, db, limits);
  const running = await listen({ db: apiDb, log, limits }, options.port ?? config.port);
  log.info({ url: `http://localhost:${running.port}`, docs: `http://localhost:${running.port}/docs` }, 'Lakefront is listening');
  await hintWhenEmpty(apiDb, log);
  const syncEvery = options.syncEvery ?? (options.demo && db.backend === 'pglite' ? EMBEDDED_SYNC_EVERY_MS : 0);
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
