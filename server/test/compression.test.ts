import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startGuardedServer, type GuardedServer } from './support/guarded-server.js';

let server: GuardedServer;

beforeAll(async () => {
  server = await startGuardedServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)), validateResponses: false });
});
afterAll(() => server?.stop());

/** The raw bytes on the wire (fetch would decode them), with the headers. */
function raw(path: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(`${server.url}${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

const DECODE: Record<string, (body: Buffer) => Buffer> = { gzip: gunzipSync, br: brotliDecompressSync };

describe('compression by Accept-Encoding', () => {
  it.each([
    ['/v1/crimes?limit=2000', 'application/json'],
    ['/v1/crimes?limit=2000&format=geojson', 'application/geo+json'],
    ['/v1/crimes?limit=2000&format=csv', 'text/csv'],
    ['/v1/crimes?format=ndjson', 'application/x-ndjson'],
    ['/v1/crimes?format=csv', 'text/csv'],
  ])('compresses %s with gzip and brotli, to the same bytes as the plain answer', async (path, type) => {
    const plain = await raw(path);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(100_000);
    for (const encoding of ['gzip', 'br']) {
      const packed = await raw(path, encoding);
      expect(packed.status).toBe(200);
      expect(packed.headers['content-type']).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(String(packed.headers.vary)).toMatch(/accept-encoding/i);
      expect(packed.body.length).toBeLessThan(plain.body.length / 3);
      expect(DECODE[encoding]!(packed.body).equals(plain.body)).toBe(true);
    }
  });

  it('prefers brotli when both are accepted, and honours q=0', async () => {
    expect((await raw('/v1/crimes?limit=2000', 'gzip, deflate, br')).headers['content-encoding']).toBe('br');
    expect((await raw('/v1/crimes?limit=2000', 'br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
    expect((await raw('/v1/crimes?limit=2000', 'identity')).headers['content-encoding']).toBeUndefined();
  });

  it('sends tiny bodies as they are', async () => {
    const tiny = await raw('/v1/crimes?limit=1&fields=id', 'gzip, br');
    expect(tiny.status).toBe(200);
    expect(tiny.body.length).toBeLessThan(1024);
    expect(tiny.headers['content-encoding']).toBeUndefined();
    const problem = await raw('/v1/crimes?limit=0', 'gzip, br');
    expect(problem.status).toBe(400);
    expect(problem.headers['content-encoding']).toBeUndefined();
  });
});
