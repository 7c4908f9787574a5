/*
 * A real server over a real database holding every bundled sample, enriched and with its rollups
 * refreshed: what `npm start` serves on a fresh clone. Responses are not validated against the
 * spec here (the API's own tests do that), so the page's timings are those a user would see.
 */
import { silentLogger } from '../../core/log.js';
import { loadSamples } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from '../../server/test/helpers.js';

export function startSamplesServer(): Promise<LiveServer> {
  return startServer({
    validateResponses: false,
    seed: async (db) => void (await loadSamples(db, silentLogger)),
  });
}
