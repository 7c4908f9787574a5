import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startGuardedServer, type GuardedServer } from './support/guarded-server.js';

let server: GuardedServer;
/** SQL the server ran against the crimes table, as knex reports it. */
const crimeQueries: string[] = [];

beforeAll(async () => {
  server = await startGuardedServer({
    seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)),
    limits: { corsOrigins: ['https://maps.example'] },
  });
  server.db.knex.on('query', (query: { sql: string }) => {
    if (/crimes/.test(query.sql) && !/sync_state/.test(query.sql)) crimeQueries.push(query.sql);
  });
});
afterAll(() => server?.stop());

describe('HEAD on a list', () => {
  it.each([
    ['/v1/crimes', { accept: 'text/csv' }, /^text\/csv/],
    ['/v1/crimes?format=ndjson', {}, /^application\/x-ndjson/],
    ['/v1/crimes?format=csv&limit=10000', {}, /^text\/csv/],
    ['/v1/crimes?limit=10000', {}, /^application\/json/],
    ['/v1/crimes?format=geojson&limit=10000', {}, /^application\/geo\+json/],
  ])('answers HEAD %s from headers alone: no query of the rows', async (path, headers, type) => {
    const get = await fetch(server.url + path, { headers });
    const etag = get.headers.get('etag');
    await get.arrayBuffer();
    crimeQueries.length = 0;
    const head = await fetch(server.url + path, { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(type);
    expect(head.headers.get('etag')).toBe(etag);
    expect(await head.text()).toBe('');
    expect(crimeQueries).toEqual([]);
  });

  it('answers HEAD of an export while no export slot is free', async () => {
    const full = await startGuardedServer({ db: server.db, limits: { maxConcurrentExports: 0 } });
    try {
      expect((await fetch(`${full.url}/v1/crimes?format=ndjson`)).status).toBe(503);
      const head = await fetch(`${full.url}/v1/crimes?format=ndjson`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    } finally {
      await full.close();
    }
  });

  it('still refuses a bad HEAD in words', async () => {
    const head = await fetch(`${server.url}/v1/crimes?format=csv&limit=Infinity`, { method: 'HEAD' });
    expect(head.status).toBe(400);
    expect(head.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('Vary', () => {
  it('names Origin on list responses when CORS allows a list of origins, as reports do', async () => {
    for (const path of ['/v1/crimes?limit=1', '/v1/crimes?format=csv&limit=1', '/v1/reports/crimes/by-zip?from=2014-01-01&to=2015-01-01']) {
      const response = await server.request(path, { headers: { origin: 'https://maps.example' } });
      expect(response.status).toBe(200);
      const vary = (response.headers.get('vary') ?? '').split(',').map((item) => item.trim().toLowerCase());
      expect(vary).toContain('origin');
      if (path.startsWith('/v1/crimes')) expect(vary).toContain('accept');
    }
  });
});
