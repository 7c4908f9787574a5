import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { syncDatasets } from '../sync/run.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, syncOptions } from './helpers.js';

/**
 * A third-party report says gdcf-axmw now serves ZIP rows with null geometry (unjd-c2ca being the
 * current resource). A sync of such rows must not erase the boundaries every geo_zip comes from.
 */
let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer();
  serveFixture(server.store, 'gdcf-axmw');
  serveFixture(server.store, 'ijzp-q8t2', { rows: 300 });
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const zipsOfCrimes = async () => (await db.knex('data.crimes').orderBy('id').select('id', 'geo_zip')) as { id: number; geo_zip: string | null }[];

describe(`boundaries that arrive without polygons (${BACKEND})`, () => {
  it('keep the stored polygons and every computed geo_zip, with a warning', async () => {
    const first = await syncDatasets(db, [zipCodes, crimes], syncOptions(server, capturingLogger().log));
    expect(first.map((summary) => summary.status)).toEqual(['synced', 'synced']);
    const before = await zipsOfCrimes();
    // From the fixture: 300 crimes, most inside a ZIP polygon.
    expect(before.filter((row) => row.geo_zip !== null).length).toBeGreaterThan(250);

    server.store.update('gdcf-axmw', () => true, { the_geom: undefined });
    const { log, lines } = capturingLogger();
    const [summary] = await syncDatasets(db, [zipCodes], syncOptions(server, log));
    expect(summary).toMatchObject({ status: 'synced' });
    expect(summary!.sources[0]).toMatchObject({ rowsRead: 61, polygons: 0 });

    const polygons = await db.knex('data.zip_codes').whereNotNull('the_geom').count({ count: '*' }).first();
    expect(Number(polygons!.count)).toBe(61);
    expect(await zipsOfCrimes()).toEqual(before);
    const warnings = lines().map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      'gdcf-axmw sent 61 rows and no polygon: the boundaries already stored are kept',
      'zip-codes: no polygon received; geo columns keep the previous boundaries',
    ]);
  });
});
