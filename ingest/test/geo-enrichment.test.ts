import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessLicenses } from '../../core/datasets/business-licenses.js';
import { communityAreas } from '../../core/datasets/community-areas.js';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import type { Database } from '../../core/db/connect.js';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { recomputeEnrichment } from '../enrich/recompute.js';
import { RowEnricher } from '../enrich/row-enricher.js';
import { BoundaryIndex } from '../../core/geo/boundary-index.js';
import { mapSodaRow } from '../soda-values.js';
import { syncDatasets } from '../sync/run.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, syncOptions } from './helpers.js';

/** The expected answer, from the fixture boundaries (the index itself is checked against brute force in geo-fixtures). */
const zipIndex = new BoundaryIndex(readSodaFixture('gdcf-axmw').map((row) => ({ key: String(row.zip), geometry: row.the_geom })));
const areaIndex = new BoundaryIndex(readSodaFixture('igwz-8jzy').map((row) => ({ key: Number(row.area_numbe), geometry: row.the_geom })));

let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer();
  for (const portalId of ['gdcf-axmw', 'igwz-8jzy', 'ijzp-q8t2', 'r5kz-chrr']) serveFixture(server.store, portalId);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

interface GeoRow {
  id: number;
  latitude: number | null;
  longitude: number | null;
  geo_zip: string | null;
  geo_community_area: number | null;
}

async function crimeGeo(): Promise<Map<number, GeoRow>> {
  const rows = (await db.knex('api.crimes').select('id', 'latitude', 'longitude', 'geo_zip', 'geo_community_area')) as GeoRow[];
  return new Map(rows.map((row) => [row.id, row]));
}

async function sync(...datasets: Parameters<typeof syncDatasets>[1]) {
  const summaries = await syncDatasets(db, datasets, syncOptions(server, capturingLogger().log, { pageSize: 1000 }));
  for (const summary of summaries) expect(summary.error).toBeUndefined();
}

describe(`geo enrichment (${BACKEND})`, () => {
  it('fills geo_zip and geo_community_area as rows are synced, and keeps the portal’s own columns', async () => {
    await sync(zipCodes, communityAreas, crimes, businessLicenses);
    const rows = await crimeGeo();
    expect(rows.size).toBe(6957);
    let withZip = 0;
    for (const row of rows.values()) {
      expect(row.geo_zip).toBe(zipIndex.lookup(row.longitude, row.latitude));
      expect(row.geo_community_area).toBe(areaIndex.lookup(row.longitude, row.latitude));
      if (row.geo_zip) withZip++;
    }
    expect(withZip).toBe(6957 - 73);
    expect([...rows.values()].filter((row) => row.latitude === null).every((row) => row.geo_zip === null && row.geo_community_area === null)).toBe(true);

    const navyPier = await db.knex('data.business_licenses').whereRaw(`regexp_replace(address, '\\s+', ' ', 'g') = ?`, ['700 E GRAND AVE']).select('zip_code', 'geo_zip');
    expect(navyPier.length).toBeGreaterThan(0);
    for (const row of navyPier) expect(row).toEqual({ zip_code: '60611', geo_zip: null });
  });

  it('recomputes every dataset when a boundary changes, and again when it changes back', async () => {
    const before = await crimeGeo();
    const zip = (code: string) => server.store.rows('gdcf-axmw').filter((row) => row.zip === code);
    const original60614 = zip('60614')[0]!.the_geom;
    // 60614 is redrawn as its neighbour 60657: its old area has no ZIP any more, and the
    // overlap with 60657 goes to the lower key, 60614.
    expect(server.store.update('gdcf-axmw', (row) => row.zip === '60614', { the_geom: zip('60657')[0]!.the_geom })).toBe(1);
    await sync(zipCodes);

    const after = await crimeGeo();
    const was = (code: string) => [...before.values()].filter((row) => row.geo_zip === code).map((row) => row.id);
    expect(was('60614').length).toBeGreaterThan(50);
    expect(was('60657').length).toBeGreaterThan(50);
    for (const id of was('60614')) expect(after.get(id)!.geo_zip).toBeNull();
    for (const id of was('60657')) expect(after.get(id)!.geo_zip).toBe('60614');
    for (const [id, row] of before) {
      if (row.geo_zip !== '60614' && row.geo_zip !== '60657') expect(after.get(id)!.geo_zip).toBe(row.geo_zip);
      expect(after.get(id)!.geo_community_area).toBe(row.geo_community_area);
    }
    const licensesIn60657 = await db.knex('data.business_licenses').where({ zip_code: '60657' }).select('geo_zip');
    expect(licensesIn60657.some((row) => row.geo_zip === '60614')).toBe(true);

    server.store.update('gdcf-axmw', (row) => row.zip === '60614', { the_geom: original60614 });
    await sync(zipCodes);
    expect(await crimeGeo()).toEqual(before);
  });

  it('writes only rows whose values change, page by page', async () => {
    expect(await recomputeEnrichment(db, [crimes], { batchSize: 97 })).toEqual([{ dataset: 'crimes', scanned: 6957, updated: 0 }]);
    const ids = (await db.knex('data.crimes').whereNotNull('geo_zip').orderBy('id').limit(10).pluck('id')) as number[];
    await db.knex('data.crimes').whereIn('id', ids).update({ geo_zip: '00000', geo_community_area: null });
    expect(await recomputeEnrichment(db, [crimes], { batchSize: 97 })).toEqual([{ dataset: 'crimes', scanned: 6957, updated: 10 }]);
    const fixed = await crimeGeo();
    for (const id of ids) expect(fixed.get(id)!.geo_zip).toBe(zipIndex.lookup(fixed.get(id)!.longitude, fixed.get(id)!.latitude));
  });

  it('sets NULL for rows whose coordinates are missing, NaN or out of range', async () => {
    const template = (await db.knex('data.crimes').first('*')) as Record<string, unknown>;
    const bad = [
      [null, null],
      [41.88, null],
      [91, -87.63],
      [41.88, 200],
      [0, 0],
      ['NaN', -87.63],
    ];
    await db.knex('data.crimes').insert(
      bad.map(([latitude, longitude], i) => ({ ...template, id: 900_000_000 + i, latitude, longitude, geo_zip: '60601', geo_community_area: 32 })),
    );
    await recomputeEnrichment(db, [crimes]);
    const rows = await db.knex('data.crimes').where('id', '>=', 900_000_000).select('geo_zip', 'geo_community_area');
    expect(rows).toEqual(bad.map(() => ({ geo_zip: null, geo_community_area: null })));
  });

  it('never carries one row’s area over to the next row without coordinates', async () => {
    const enricher = await RowEnricher.load(db.knex);
    const [located, unlocated] = ['9532593', undefined].map((id) => {
      const row = id ? readSodaFixture('ijzp-q8t2').find((item) => item.id === id)! : readSodaFixture('ijzp-q8t2').find((item) => item.location === undefined)!;
      return mapSodaRow(crimes, row, 'ijzp-q8t2').values;
    });
    enricher.enrich(crimes, located!);
    enricher.enrich(crimes, unlocated!);
    expect(located!.geo_zip).toMatch(/^606\d\d$/);
    expect(located!.geo_community_area).toEqual(expect.any(Number));
    expect(unlocated).toMatchObject({ latitude: null, longitude: null, geo_zip: null, geo_community_area: null });
  });
});
