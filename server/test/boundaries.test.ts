import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityAreas } from '../../core/datasets/community-areas.js';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import { silentLogger } from '../../core/log.js';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { BoundaryIndex } from '../../core/geo/boundary-index.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';

let server: LiveServer;

beforeAll(async () => {
  server = await startServer({
    seed: async (db) => {
      for (const dataset of [zipCodes, communityAreas, crimes]) await loadSample(db.knex, dataset, silentLogger);
      await recomputeEnrichment(db, [crimes]);
    },
  });
});
afterAll(() => server?.stop());

interface Feature {
  type: string;
  id: string | number;
  geometry: { type: string; coordinates: number[][][][] };
  properties: Record<string, unknown>;
}

describe('GET /v1/boundaries/*', () => {
  it('serves one MultiPolygon feature per ZIP, as GeoJSON', async () => {
    const { status, headers, body } = await server.get('/v1/boundaries/zip-codes');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(body.type).toBe('FeatureCollection');
    const features = body.features as Feature[];
    const zips = features.map((feature) => feature.id);
    expect(zips).toHaveLength(59);
    expect(zips).toEqual([...new Set(readSodaFixture('gdcf-axmw').map((row) => String(row.zip)))].sort());
    for (const feature of features) {
      expect(feature).toMatchObject({ type: 'Feature', geometry: { type: 'MultiPolygon' }, properties: { zip: feature.id } });
    }
    // 60643 and 60707 are two portal features each; served as one feature with both features' polygons.
    for (const zip of ['60643', '60707']) {
      const portalPolygons = readSodaFixture('gdcf-axmw')
        .filter((row) => row.zip === zip)
        .flatMap((row) => (row.the_geom as { coordinates: unknown[] }).coordinates);
      expect(features.find((feature) => feature.id === zip)!.geometry.coordinates).toEqual(portalPolygons);
    }
    expect(features.find((feature) => feature.id === '60666')!.geometry.coordinates).toHaveLength(3);
  });

  it('serves the 77 community areas with number and name', async () => {
    const { status, headers, body } = await server.get('/v1/boundaries/community-areas');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const features = body.features as Feature[];
    expect(features.map((feature) => feature.id)).toEqual(Array.from({ length: 77 }, (_, i) => i + 1));
    expect(features.find((feature) => feature.id === 8)!.properties).toEqual({ community_area: 8, community: 'NEAR NORTH SIDE' });
    expect(features.find((feature) => feature.id === 32)!.properties).toEqual({ community_area: 32, community: 'LOOP' });
  });

  it('serves the very areas that geo_zip and geo_community_area name', async () => {
    const [zips, areas] = await Promise.all(['zip-codes', 'community-areas'].map((path) => server.get(`/v1/boundaries/${path}`)));
    const zipIndex = new BoundaryIndex((zips!.body.features as Feature[]).map((feature) => ({ key: feature.id, geometry: feature.geometry })));
    const areaIndex = new BoundaryIndex((areas!.body.features as Feature[]).map((feature) => ({ key: feature.id, geometry: feature.geometry })));
    const rows = await server.db.knex('api.crimes').select('latitude', 'longitude', 'geo_zip', 'geo_community_area');
    expect(rows).toHaveLength(6957);
    expect(rows.filter((row) => row.geo_zip !== null)).toHaveLength(6957 - 73);
    for (const row of rows) {
      expect(zipIndex.lookup(row.longitude, row.latitude)).toBe(row.geo_zip);
      expect(areaIndex.lookup(row.longitude, row.latitude)).toBe(row.geo_community_area);
    }
  });

  it('leaves out a stored boundary that is not a polygon, in the API and in enrichment alike', async () => {
    const before = (await server.db.knex('api.crimes').where({ geo_zip: '60614' }).count({ n: '*' })) as [{ n: number | string }];
    expect(Number(before[0].n)).toBeGreaterThan(50);
    await server.db.knex('data.zip_codes').where({ zip: '60614' }).update({ the_geom: JSON.stringify({ type: 'Point', coordinates: [-87.65, 41.92] }) });
    try {
      const { status, body } = await server.get('/v1/boundaries/zip-codes');
      expect(status).toBe(200);
      expect((body.features as Feature[]).map((feature) => feature.id)).not.toContain('60614');
      expect(body.features).toHaveLength(58);
      await recomputeEnrichment(server.db, [crimes]);
      expect(await server.db.knex('api.crimes').where({ geo_zip: '60614' }).count({ n: '*' })).toEqual([{ n: 0 }]);
    } finally {
      await loadSample(server.db.knex, zipCodes, silentLogger);
      await recomputeEnrichment(server.db, [crimes]);
    }
    expect(await server.db.knex('api.crimes').where({ geo_zip: '60614' }).count({ n: '*' })).toEqual([{ n: Number(before[0].n) }]);
  });

  it('rejects unknown query parameters with a problem', async () => {
    const { status, headers, body } = await server.get('/v1/boundaries/zip-codes?zip=60614');
    expect(status).toBe(400);
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.detail).toMatch(/zip/);
  });
});
