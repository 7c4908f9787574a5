import { afterAll, beforeAll, expect, it } from 'vitest';
import { communityAreas } from '../../core/datasets/community-areas.js';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import { syncDatasets } from '../../ingest/sync/run.js';
import { syncOptions } from '../../ingest/test/helpers.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { DATA_VERSION_REUSE_MS } from '../src/datasets-api/freshness.js';
import { startServer, type LiveServer } from './helpers.js';

let soda: SodaTestServer;
let server: LiveServer;

beforeAll(async () => {
  soda = await startSodaServer();
  for (const portalId of ['gdcf-axmw', 'igwz-8jzy', 'ijzp-q8t2']) serveFixture(soda.store, portalId);
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  await soda?.close();
});

it('a sync refreshes the report rollups through the afterSync hook', async () => {
  const report = '/v1/reports/crimes/by-zip?from=2014-01-01&to=2015-01-01';
  // Nothing synced yet: the report says which of its inputs are empty.
  expect((await server.get(report)).body).toEqual({ data: [], missing_inputs: ['crimes', 'zip-codes'] });
  const before = (await server.get(report)).headers.get('etag');

  const summaries = await syncDatasets(server.db, [zipCodes, communityAreas, crimes], syncOptions(soda, capturingLogger().log, { pageSize: 2000 }));
  for (const summary of summaries) expect(summary.error).toBeUndefined();

  const stored = (await server.db.knex('api.crimes').whereNotNull('geo_zip').select('geo_zip', 'primary_type')) as { geo_zip: string; primary_type: string }[];
  expect(stored.length).toBeGreaterThan(6000);
  const expected = new Map<string, number>();
  for (const row of stored) expected.set(`${row.geo_zip}|${row.primary_type}`, (expected.get(`${row.geo_zip}|${row.primary_type}`) ?? 0) + 1);
  // The data version behind the ETag (and the check for empty inputs) is reused for DATA_VERSION_REUSE_MS: a sync this quick ends inside that window.
  await new Promise((resolve) => setTimeout(resolve, DATA_VERSION_REUSE_MS + 50));
  const after = await server.get(report);
  expect(after.body).not.toHaveProperty('missing_inputs');
  expect(new Map(after.body.data.map((row: { zip: string; primary_type: string; count: number }) => [`${row.zip}|${row.primary_type}`, row.count]))).toEqual(expected);
  expect(after.headers.get('etag')).not.toBe(before);
});
