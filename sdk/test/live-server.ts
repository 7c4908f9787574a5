import { datasets, type DatasetDefinition } from '../../core/datasets/index.js';
import { silentLogger } from '../../core/log.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from '../../server/test/helpers.js';

/**
 * The real API over a real database holding every bundled real sample, enriched with ZIPs and
 * community areas, reports refreshed: as `npm start` serves it.
 */
export function startSampleServer(only: readonly DatasetDefinition[] = datasets): Promise<LiveServer> {
  return startServer({
    seed: async (db) => {
      for (const dataset of only) await loadSample(db.knex, dataset, silentLogger);
      await recomputeEnrichment(db, undefined, { log: silentLogger });
      await refreshRollups(db);
    },
  });
}
