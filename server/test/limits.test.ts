import express from 'express';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.js';
import { exportSlots, Slots } from '../src/middleware/export-slots.js';
import { problemHandler } from '../src/problems.js';
import { onPostgres, startGuardedServer, type GuardedServer } from './support/guarded-server.js';

let server: GuardedServer;

beforeAll(async () => {
  server = await startGuardedServer({ limits: { corsOrigins: '*' } });
});
afterAll(() => server?.stop());

function expectProblem(response: { status: number; headers: Headers; body: any }, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, type: 'about:blank' });
}

describe('security headers', () => {
  it.each(['/v1/datasets', '/v1/crimes?limit=1', '/v1/no-such-dataset'])('sends the API security headers on %s', async (path) => {
    const { headers } = await server.request(path);
    expect(headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-powered-by')).toBeNull();
    expect(headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    // Headers that only mean something to an HTML document are left off data.
    expect(headers.get('x-dns-prefetch-control')).toBeNull();
    expect(headers.get('x-xss-protection')).toBeNull();
  });

  it.each(['/explore', '/docs/'])('sends helmet headers on the page %s', async (path) => {
    const { headers } = await server.request(path);
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('keeps Swagger UI working under the content security policy', async () => {
    const page = await server.request('/docs/');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
    // Every script is a same-origin file (no inline script for the CSP to block), and each loads.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim()).toBe('');
      const src = /src=["']([^"']+)["']/.exec(attributes!)?.[1];
      expect(src).toMatch(/^\.\/[\w.-]+\.js$/);
      const asset = await server.request(`/docs/${src!.slice(2)}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
    }
    const init = await server.request('/docs/swagger-ui-init.js');
    expect(init.text).toContain('"openapi": "3.1.0"');
  });
});

describe('read-only methods and CORS', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('answers %s with 405 and Allow, on known and unknown paths', async (method) => {
    for (const path of ['/v1/datasets', '/v1/no-such-thing']) {
      const response = await server.request(path, { method, body: method === 'DELETE' ? undefined : '{}' });
      expectProblem(response, 405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    }
  });

  it('answers HEAD like GET without a body', async () => {
    const response = await server.request('/v1/datasets', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
  });

  it('allows any origin to read, and preflights only read methods', async () => {
    const simple = await server.request('/v1/datasets', { headers: { Origin: 'https://example.org' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('*');
    expect(simple.headers.get('access-control-expose-headers')).toBe('X-Request-Id,RateLimit,RateLimit-Policy,Retry-After,ETag,Last-Modified,Content-Disposition');
    expect(simple.headers.get('vary')).not.toMatch(/origin/i);
    const preflight = await server.request('/v1/datasets', {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,HEAD,OPTIONS');
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-max-age')).toBe('600');
  });

  it('restricts CORS to configured origins', async () => {
    const strict = await startGuardedServer({ db: server.db, limits: { corsOrigins: ['https://maps.example.org'] } });
    try {
      const allowed = await strict.request('/v1/datasets', { headers: { Origin: 'https://maps.example.org' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://maps.example.org');
      const other = await strict.request('/v1/datasets', { headers: { Origin: 'https://evil.example.com' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await strict.close();
    }
  });
});

describe('rate limiting', () => {
  it('gives each client its quota, then 429 problem+json with RateLimit and Retry-After', async () => {
    const limited = await startGuardedServer({ db: server.db, limits: { rateLimitPerMinute: 3 } });
    try {
      for (let i = 0; i < 3; i += 1) {
        const ok = await limited.request('/v1/datasets');
        expect(ok.status).toBe(200);
        expect(ok.headers.get('ratelimit-policy')).toMatch(/q=3; w=60/);
        expect(ok.headers.get('ratelimit')).toMatch(new RegExp(`r=${2 - i}`));
      }
      const refused = await limited.request('/v1/datasets');
      expectProblem(refused, 429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('ratelimit')).toMatch(/r=0/);
      expect(refused.body.detail).toMatch(/3 requests per minute/);
      // Probes stay answerable for the operator.
      expect((await limited.request('/healthz')).status).toBe(200);
      expect((await limited.request('/readyz')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('counts clients by X-Forwarded-For only behind a trusted proxy', async () => {
    const proxied = await startGuardedServer({ db: server.db, limits: { rateLimitPerMinute: 1, trustProxyHops: 1 } });
    try {
      const first = { headers: { 'X-Forwarded-For': '203.0.113.7' } };
      expect((await proxied.request('/v1/datasets', first)).status).toBe(200);
      expect((await proxied.request('/v1/datasets', first)).status).toBe(429);
      // Another client behind the same proxy has its own quota.
      expect((await proxied.request('/v1/datasets', { headers: { 'X-Forwarded-For': '203.0.113.8' } })).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('is off unless configured', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => server.request('/healthz')));
    expect(responses.every((response) => response.status === 200 && !response.headers.has('ratelimit'))).toBe(true);
  });
});

describe('maximum page size', () => {
  it('refuses a limit above 10000 on every list endpoint of the spec', async () => {
    const { specOperations } = await import('../src/spec.js');
    const lists = specOperations().filter((operation) => operation.parameters.some((parameter) => parameter.name === 'limit'));
    expect(lists.length).toBeGreaterThan(0);
    for (const operation of lists) {
      const limit = operation.parameters.find((parameter) => parameter.name === 'limit')!;
      expect(limit.schema?.maximum).toBeLessThanOrEqual(10_000);
      if (operation.path.includes('{')) continue;
      const response = await server.request(`${operation.path}?limit=10001`);
      expectProblem(response, 400);
      expect(response.body.errors[0].name).toBe('limit');
    }
  });
});

describe('the bound on concurrent exports', () => {
  it('lets `capacity` exports run and refuses the next with 503 + Retry-After until one ends', async () => {
    // An export that holds its slot until the test lets it finish.
    const finishers: (() => void)[] = [];
    const app = express();
    app.use(exportSlots(new Slots(2)));
    app.get('/v1/things', (_req, res) => {
      res.type('text/csv').write('id\r\n');
      finishers.push(() => res.end('1\r\n'));
    });
    app.use(problemHandler(silentLogger));
    const listener = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    const base = `http://127.0.0.1:${(listener.address() as { port: number }).port}`;
    try {
      const first = await fetch(`${base}/v1/things?format=csv`);
      const second = await fetch(`${base}/v1/things`, { headers: { Accept: 'text/csv' } });
      expect([first.status, second.status]).toEqual([200, 200]);
      const third = await fetch(`${base}/v1/things?format=csv`);
      expect(third.status).toBe(503);
      expect(third.headers.get('retry-after')).toBe('5');
      expect(await third.json()).toMatchObject({ status: 503, detail: '2 exports are already running. Retry shortly.' });
      // JSON pages are not exports and are never refused.
      const json = await fetch(`${base}/v1/things?format=json`);
      expect(json.status).toBe(200);
      finishers.splice(2).forEach((finish) => finish());
      finishers.shift()!();
      expect(await first.text()).toBe('id\r\n1\r\n');
      const fourth = await fetch(`${base}/v1/things?format=csv`);
      expect(fourth.status).toBe(200);
      finishers.forEach((finish) => finish());
      await Promise.all([second.text(), fourth.text()]);
    } finally {
      listener.closeAllConnections();
      listener.close();
    }
  });
});

describe.skipIf(!onPostgres)('timeouts on real PostgreSQL (PGlite runs queries on the event loop: nothing can time out)', () => {
  /** Holds an exclusive lock on the sync state, so `/v1/datasets` waits like a slow query would. */
  async function whileLocked(db: Knex, work: () => Promise<void>): Promise<void> {
    const trx = await db.transaction();
    try {
      await trx.raw('LOCK TABLE lakefront.sync_state IN ACCESS EXCLUSIVE MODE');
      await work();
    } finally {
      await trx.rollback();
    }
  }

  it('cancels a slow statement with statement_timeout (pg_sleep) and the API answers 503', async () => {
    const limited = await startGuardedServer({ statementTimeoutMs: 300, limits: { requestTimeoutMs: 10_000 } });
    try {
      await expect(limited.db.knex.raw('select pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
      await whileLocked(limited.db.knex, async () => {
        const started = Date.now();
        const response = await limited.request('/v1/datasets');
        expectProblem(response, 503);
        expect(response.body.detail).toMatch(/took too long and was cancelled/);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(Date.now() - started).toBeLessThan(5_000);
      });
      expect((await limited.request('/v1/datasets')).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('answers 503 when a request outlives the request timeout, and the socket stays usable', async () => {
    const limited = await startGuardedServer({ db: server.db, limits: { requestTimeoutMs: 300 } });
    try {
      await whileLocked(server.db.knex, async () => {
        const response = await limited.request('/v1/datasets');
        expectProblem(response, 503);
        expect(response.body.detail).toMatch(/took too long/);
      });
      // The abandoned handler finishes after the lock is gone; it must not disturb later requests.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const after = await limited.request('/v1/datasets');
      expect(after.status).toBe(200);
      expect(after.body.data.length).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
