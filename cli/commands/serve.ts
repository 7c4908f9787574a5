import { datasets } from '../../core/datasets/index.js';
import { migrateLatest } from '../../core/db/migrate.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { listen } from '../../server/src/listen.js';
import { openDatabase, type CliContext } from '../context.js';

export async function serveCommand(context: CliContext, options: { port?: number }): Promise<void> {
  const { config, log } = context;
  const db = await openDatabase(context, { statementTimeoutMs: 15_000 });
  await migrateLatest(db.knex);
  if (db.backend === 'pglite') {
    // The embedded database starts with real data so a fresh machine has something to serve.
    const loaded = [];
    for (const dataset of datasets) loaded.push(await loadSample(db.knex, dataset, log, { onlyIfEmpty: true }));
    // Samples load without boundaries at hand; compute the geo columns once all are in.
    if (loaded.some((result) => !result.skipped)) await recomputeEnrichment(db, undefined, { log });
  }
  const running = await listen({ db, log }, options.port ?? config.port);
  log.info({ url: `http://localhost:${running.port}`, docs: `http://localhost:${running.port}/docs` }, 'Lakefront is listening');

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await running.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
