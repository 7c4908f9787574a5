import { datasets } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import type { Logger } from '../../core/log.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';

/**
 * `npm start` starts with real data on any database: every dataset whose table is empty gets its
 * bundled sample; tables that hold rows (synced or loaded earlier) are left alone.
 */
export async function loadDemoSamples(db: Database, log: Logger): Promise<void> {
  const loaded = [];
  for (const dataset of datasets) loaded.push(await loadSample(db.knex, dataset, log, { onlyIfEmpty: true }));
  // Samples load without boundaries at hand; compute the geo columns once all are in.
  if (loaded.some((result) => !result.skipped)) {
    await recomputeEnrichment(db, undefined, { log });
    await refreshRollups(db);
  }
}
