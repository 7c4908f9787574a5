import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityAreas } from '../../core/datasets/community-areas.js';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import { silentLogger } from '../../core/log.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { syncDataset } from '../../ingest/sync/sync-dataset.js';
import { syncOptions } from '../../ingest/test/helpers.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { DATA_VERSION_REUSE_MS } from '../src/datasets-api/freshness.js';
import { startGuardedServer, type GuardedServer } from './support/guarded-server.js';

/**
 * ETags change exactly when the served bytes can: every writer (sync, enrichment, sample load,
 * rollup refresh) moves the data version when it changed something, and only then (#23).
 */
let soda: SodaTestServer;
let server: GuardedServer;
const LIST = '/v1/crimes?limit=5&order=id&fields=id,primary_type,geo_zip';
const REPORT = '/v1/reports/crimes/by-zip?from=2014-01-01&to=2015-01-01';

beforeAll(async () => {
  soda = await startSodaServer();
  serveFixture(soda.store, 'ijzp-q8t2');
  server = await startGuardedServer({ validateResponses: false });
  // Boundaries, so the enrichment has something to compute.
  await loadSample(server.db.knex, zipCodes, silentLogger);
  await loadSample(server.db.knex, communityAreas, silentLogger);
});
afterAll(async () => {
  await server?.stop();
  await soda?.close();
});

/** The ETag a client sees now, once the server's reuse window of the version has passed. */
async function etagOf(path: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, DATA_VERSION_REUSE_MS + 50));
  const response = await server.request(path);
  expect(response.status).toBe(200);
  return response.headers.get('etag')!;
}

/** A client's revalidation: 304 if its copy is current. */
async function revalidate(path: string, etag: string): Promise<number> {
  return (await server.request(path, { headers: { 'if-none-match': etag } })).status;
}

const sync = (full = false) => syncDataset(server.db, crimes, syncOptions(soda, silentLogger, { pageSize: 2000, full }));

describe('the data version behind ETags', () => {
  it('moves with a sync that wrote rows, and stays for a sync that found nothing new', async () => {
    const empty = await etagOf(LIST);
    expect((await sync()).status).toBe('synced');
    const synced = await etagOf(LIST);
    expect(synced).not.toBe(empty);
    expect(await revalidate(LIST, empty)).toBe(200);

    // Nothing changed at the portal: the incremental sync reads nothing, and caches stay valid.
    const again = await sync();
    expect(again.sources[0]!.rowsRead).toBe(0);
    expect(await etagOf(LIST)).toBe(synced);
    expect(await revalidate(LIST, synced)).toBe(304);

    // A full pass reads every row again and finds them all as stored: still the same ETag.
    const reread = await sync(true);
    expect(reread.sources[0]).toMatchObject({ rowsRead: soda.store.rows('ijzp-q8t2').length, rowsChanged: 0, deleted: 0 });
    expect(await etagOf(LIST)).toBe(synced);
    expect(await revalidate(LIST, synced)).toBe(304);

    // One row corrected at the portal: a new ETag, and the new value behind it.
    const [first] = (await server.request(LIST)).body.data as { id: number }[];
    expect(soda.store.update('ijzp-q8t2', (row) => Number(row.id) === first!.id, { primary_type: 'CORRECTED TYPE' })).toBe(1);
    expect((await sync()).sources[0]).toMatchObject({ rowsRead: 1, rowsChanged: 1 });
    const corrected = await etagOf(LIST);
    expect(corrected).not.toBe(synced);
    expect(await revalidate(LIST, synced)).toBe(200);
    expect((await server.request(LIST)).body.data[0]).toMatchObject({ id: first!.id, primary_type: 'CORRECTED TYPE' });
  });

  it('moves when the enrichment changes geo columns, and only then', async () => {
    const before = await etagOf(LIST);
    const summaries = await recomputeEnrichment(server.db, [crimes]);
    expect(summaries[0]!.updated).toBeGreaterThan(0);
    const enriched = await etagOf(LIST);
    expect(enriched).not.toBe(before);
    expect(await revalidate(LIST, before)).toBe(200);
    // The rows now carry the ZIPs the boundaries give them, as a plain query reads them.
    const zips = (await server.db.knex('data.crimes').orderBy('id').limit(5).select('geo_zip')) as { geo_zip: string | null }[];
    expect((await server.request(LIST)).body.data.map((row: { geo_zip: string | null }) => row.geo_zip)).toEqual(zips.map((row) => row.geo_zip));
    expect(zips.some((row) => row.geo_zip !== null)).toBe(true);

    // A second recompute changes nothing, and keeps the ETag.
    expect((await recomputeEnrichment(server.db, [crimes]))[0]!.updated).toBe(0);
    expect(await etagOf(LIST)).toBe(enriched);
  });

  it('moves with a sample load, and stays when the load is skipped', async () => {
    const before = await etagOf(LIST);
    expect((await loadSample(server.db.knex, crimes, silentLogger)).skipped).toBe(false);
    const loaded = await etagOf(LIST);
    expect(loaded).not.toBe(before);
    expect((await loadSample(server.db.knex, crimes, silentLogger, { onlyIfEmpty: true })).skipped).toBe(true);
    expect(await etagOf(LIST)).toBe(loaded);
    // Loaded again, not skipped: every row is upserted with the values it holds, and nothing moves.
    expect((await loadSample(server.db.knex, crimes, silentLogger)).skipped).toBe(false);
    expect(await etagOf(LIST)).toBe(loaded);
    expect(await revalidate(LIST, loaded)).toBe(304);
  });

  it('moves report ETags with a rollup refresh (list ETags stay)', async () => {
    const list = await etagOf(LIST);
    const report = await etagOf(REPORT);
    await refreshRollups(server.db, ['crimes']);
    const refreshed = await etagOf(REPORT);
    expect(refreshed).not.toBe(report);
    expect(await revalidate(REPORT, report)).toBe(200);
    expect(await etagOf(LIST)).toBe(list);
    // No write since: a second refresh recomputes the same rollups and keeps the report's ETag.
    await refreshRollups(server.db, ['crimes']);
    expect(await etagOf(REPORT)).toBe(refreshed);
    expect(await revalidate(REPORT, refreshed)).toBe(304);
  });
});
