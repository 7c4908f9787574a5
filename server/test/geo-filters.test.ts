import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.js';
import { loadSamples } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';

/**
 * `geo_zip=` and `geo_community_area=` filter the computed columns on every point dataset, lists and
 * aggregates alike. Business licenses show why they are needed: the portal's own community_area is
 * empty in every sample row, so `community_area=` finds nothing there while the computed one does.
 */
let server: LiveServer;

beforeAll(async () => {
  server = await startServer({ seed: async (db) => void (await loadSamples(db, silentLogger)) });
});
afterAll(() => server?.stop());

async function sqlCount(sql: string): Promise<number> {
  const result = await server.db.knex.raw<{ rows: Array<{ n: number }> }>(sql);
  return result.rows[0]!.n;
}

describe('filters on the computed ZIP and community area', () => {
  it('lists and aggregates business licenses by geo_community_area, where the portal column is empty', async () => {
    expect(await sqlCount('SELECT count(community_area)::int AS n FROM data.business_licenses')).toBe(0);
    const loop = await sqlCount('SELECT count(*)::int AS n FROM data.business_licenses WHERE geo_community_area = 32');
    expect(loop).toBeGreaterThan(0);

    const list = await server.get('/v1/business-licenses?geo_community_area=32&count=exact&limit=1');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(loop);
    expect(list.body.data[0].geo_community_area).toBe(32);

    const groups = await server.get('/v1/business-licenses/aggregate?geo_community_area=32&group_by=geo_zip');
    expect(groups.status).toBe(200);
    expect(groups.body.data.reduce((sum: number, group: { count: number }) => sum + group.count, 0)).toBe(loop);
  });

  it('filters crimes by several computed ZIPs, and refuses a ZIP that is not five digits in words', async () => {
    const both = await sqlCount(`SELECT count(*)::int AS n FROM data.crimes WHERE geo_zip IN ('60614', '60647')`);
    expect(both).toBeGreaterThan(0);
    const list = await server.get('/v1/crimes?geo_zip=60614,60647&count=exact&limit=1');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(both);

    const bad = await server.get('/v1/crimes?geo_zip=6061');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(bad.body)).toContain('geo_zip');
  });
});
