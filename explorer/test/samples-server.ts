/*
 * A real server over a real database holding every bundled sample, enriched and with its rollups
 * refreshed: what `npm start` serves on a fresh clone. Responses are not validated against the
 * spec here (the API's own tests do that), so the page's timings are those a user would see.
 */
import { datasets } from '../../core/datasets/index.js';
import { silentLogger } from '../../core/log.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from '../../server/test/helpers.js';

export function startSamplesServer(): Promise<LiveServer> {
  return startServer({
    validateResponses: false,
    seed: async (db) => {
      for (const dataset of datasets) await loadSample(db.knex, dataset, silentLogger);
      await recomputeEnrichment(db);
      await refreshRollups(db);
    },
  });
}
