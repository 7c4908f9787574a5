import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';

let server: LiveServer;

beforeAll(async () => {
  server = await startServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)) });
});
afterAll(() => server?.stop());

describe('the platform around the endpoints', () => {
  it('lists datasets with portal id, row count and last load time', async () => {
    const { status, body } = await server.get('/v1/datasets');
    expect(status).toBe(200);
    const entry = body.data.find((item: { key: string }) => item.key === 'crimes');
    expect(entry).toMatchObject({ key: 'crimes', source_ids: ['ijzp-q8t2'], row_count: 6957 });
    expect(Date.parse(entry.last_loaded_at)).toBeGreaterThan(Date.now() - 600_000);
    expect(entry.last_loaded_at).toMatch(/Z$/);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const { status, headers, body } = await server.get('/v1/no-such-thing');
    expect(status).toBe(404);
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('reports liveness and readiness', async () => {
    expect((await server.get('/healthz')).body).toMatchObject({ status: 'ok' });
    expect((await server.get('/readyz')).body).toEqual({ status: 'ready', database: server.db.backend });
  });

  it('serves the spec and Swagger UI from local assets only', async () => {
    const spec = await server.get('/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    const page = await server.get('/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    const externalAssets = [...page.text.matchAll(/(?:src|href)="(https?:)?\/\//g)];
    expect(externalAssets).toEqual([]);
    const init = await server.get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain('/v1/crimes');
    const bundle = await server.get('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
  });

  it('turns an unexpected failure into a 500 that leaks nothing', async () => {
    await server.db.knex.raw('ALTER VIEW api.crimes RENAME TO crimes_gone');
    try {
      const { status, body, text } = await server.get('/v1/crimes');
      expect(status).toBe(500);
      expect(body).toMatchObject({ status: 500, title: 'Internal Server Error' });
      expect(text).not.toMatch(/select|crimes_gone|relation|postgres:\/\/|at .*\.ts/i);
    } finally {
      await server.db.knex.raw('ALTER VIEW api.crimes_gone RENAME TO crimes');
    }
  });
});
