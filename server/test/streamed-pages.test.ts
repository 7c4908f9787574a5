import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';

/**
 * Large JSON and GeoJSON pages are rendered row by row in PostgreSQL and written in slices, not
 * built whole in Node (#23). What the client receives must be the same rows as a plain query.
 */
let server: LiveServer;
let plain: { id: number; primary_type: string | null; latitude: number | null; longitude: number | null }[];

beforeAll(async () => {
  // Production mode (no response validation): large pages take the streamed path.
  server = await startServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)), validateResponses: false });
  const rows = (await server.db.knex.raw('SELECT id, primary_type, latitude, longitude FROM data.crimes ORDER BY id')).rows as typeof plain;
  plain = rows.map((row) => ({ ...row, id: Number(row.id), latitude: row.latitude === null ? null : Number(row.latitude), longitude: row.longitude === null ? null : Number(row.longitude) }));
});
afterAll(() => server?.stop());

describe('large pages', () => {
  it('streams a 10,000-row GeoJSON page whose features are the rows of a plain query', async () => {
    expect(plain.length).toBeGreaterThan(5_000);
    const { status, headers, text, body } = await server.get('/v1/crimes?limit=10000&order=id&format=geojson&fields=id,primary_type');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/geo\+json/);
    // Written in slices: no Content-Length, chunked.
    expect(headers.get('content-length')).toBeNull();
    expect(body.type).toBe('FeatureCollection');
    expect(body.next_cursor).toBeNull();
    expect(body.features).toEqual(
      plain.map((row) => ({
        type: 'Feature',
        geometry: row.latitude === null || row.longitude === null ? null : { type: 'Point', coordinates: [row.longitude, row.latitude] },
        properties: { id: row.id, primary_type: row.primary_type },
      })),
    );
    // Compact, as JSON.stringify writes it: no spaces PostgreSQL's json builders would add.
    expect(text).toBe(JSON.stringify(body));
    expect(plain.some((row) => row.latitude === null)).toBe(true);
  });

  it('streams a 10,000-row JSON page holding the rows of a plain query, and pages on from its cursor', async () => {
    const { status, headers, text, body } = await server.get('/v1/crimes?limit=5000&order=id&fields=id,primary_type');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(headers.get('content-length')).toBeNull();
    expect(text).toBe(JSON.stringify(body));
    expect(body.data).toEqual(plain.slice(0, 5_000).map((row) => ({ id: row.id, primary_type: row.primary_type })));
    const rest = await server.get(`/v1/crimes?limit=10000&order=id&fields=id&cursor=${encodeURIComponent(body.next_cursor)}`);
    expect(rest.body.data).toEqual(plain.slice(5_000).map((row) => ({ id: row.id })));
    expect(rest.body.next_cursor).toBeNull();
  });

  it('sends a small JSON page whole, with its Content-Length', async () => {
    const { headers, text } = await server.get('/v1/crimes?limit=500&order=id&fields=id', { 'accept-encoding': 'identity' });
    expect(Number(headers.get('content-length'))).toBe(Buffer.byteLength(text));
  });

  it('counts a page of multi-byte text in bytes, not characters', async () => {
    const [{ id }] = (await server.db.knex.raw(`UPDATE data.crimes SET block = '0XX W PASEO BORINQUEÑO — 北' WHERE id = (SELECT min(id) FROM data.crimes) RETURNING id`)).rows as [{ id: string }];
    const { status, headers, text, body } = await server.get('/v1/crimes?limit=3&order=id&fields=id,block', { 'accept-encoding': 'identity' });
    expect(status).toBe(200);
    expect(body.data[0]).toEqual({ id: Number(id), block: '0XX W PASEO BORINQUEÑO — 北' });
    expect(Number(headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(Buffer.byteLength(text)).toBeGreaterThan(text.length);
  });
});
