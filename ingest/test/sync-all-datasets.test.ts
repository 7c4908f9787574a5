import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets, sourceIdsOf } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { syncDatasets } from '../sync/run.js';
import { actualRows, expectedRows } from '../../testing/compare.js';
import { serveDatasets } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, syncOptions } from './helpers.js';

let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer({ faults: { probability: 0.15, seed: 11 } });
  // Real samples where the fixtures have them, rows shaped by the definition elsewhere.
  serveDatasets(server.store, datasets, 150);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe(`every dataset (${BACKEND})`, () => {
  it('syncs each seed dataset, over all its portal ids, to equality with the portal', async () => {
    const summaries = await syncDatasets(db, datasets, syncOptions(server, capturingLogger().log, { pageSize: 400 }));
    expect(summaries.map((summary) => [summary.dataset, summary.status, summary.error])).toEqual(
      datasets.map((dataset) => [dataset.key, 'synced', undefined]),
    );
    expect(server.stats.faults).toBeGreaterThan(0);
    for (const dataset of datasets) {
      const sources = sourceIdsOf(dataset).map((sourceId) => ({ sourceId, rows: server.store.rows(sourceId) }));
      expect(await actualRows(db.knex, dataset), dataset.key).toEqual(expectedRows(dataset, sources));
    }
    const multi = summaries.find((summary) => summary.dataset === 'rideshare-trips')!;
    expect(multi.sources.map((source) => source.sourceId)).toEqual(['m6dm-c72p', 'n26f-ihde', '6dvr-xwnh']);
  });
});
