import { request as httpRequest } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startGuardedServer, type GuardedServer } from './support/guarded-server.js';

/** Requests that once got a 500, an unbounded query or Node's bare answer (issues #16 and #23). */
let server: GuardedServer;

beforeAll(async () => {
  server = await startGuardedServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)) });
});
afterAll(() => server?.stop());

function expectProblem(response: { status: number; headers: Headers; body: any }, status: number, name?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status });
  if (name) expect(response.body.errors?.[0]?.name).toBe(name);
}

/** Sends bytes as they are (no client normalizes them) and reads the whole answer until the server closes. */
function rawExchange(text: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(server.port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), head, body });
    });
  });
}

describe('number forms', () => {
  const crimeCount = async () => Number((await server.db.knex.raw('SELECT count(*)::int AS n FROM api.crimes')).rows[0].n);

  it.each(['Infinity', '-Infinity', '1e309', '1e4', '0x0C', '1.2e1', '%2012', '12%20', '+12', '12.0', 'NaN', '１２'])('refuses limit=%s with a 400 naming limit', async (value) => {
    expect(await crimeCount()).toBeGreaterThan(100);
    expectProblem(await server.request(`/v1/crimes?limit=${value}&fields=id`), 400, 'limit');
    expectProblem(await server.request(`/v1/crimes?limit=${value}&format=csv`), 400, 'limit');
    expectProblem(await server.request(`/v1/crimes?limit=${value}&format=geojson`), 400, 'limit');
  });

  it('refuses numbers in exponent or infinite form in a list of numbers (bbox)', async () => {
    for (const bbox of ['-Infinity,41,-87,42', '-8.8e1,41,-87,42', '-88,41,-87,0x2A']) {
      expectProblem(await server.request(`/v1/crimes?bbox=${bbox}`), 400, 'bbox');
    }
  });

  it('still reads a plain limit', async () => {
    const page = await server.request('/v1/crimes?limit=12&fields=id');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(12);
  });
});

describe('bracketed parameter names', () => {
  it.each(['fields[a]=id', 'zip[a]=1', 'primary_type[]=THEFT', 'bbox[0]=1', 'limit[a]=1'])('answers %s with a 400 problem', async (pair) => {
    const response = await server.request(`/v1/crimes?${pair}`);
    expectProblem(response, 400);
    expect(response.body.detail).toMatch(/comma-separated/);
  });
});

describe('form encoding and list values', () => {
  it('reads + as a space', async () => {
    const expected = Number((await server.db.knex.raw(`SELECT count(*)::int AS n FROM api.crimes WHERE primary_type = 'CRIMINAL DAMAGE'`)).rows[0].n);
    expect(expected).toBeGreaterThan(0);
    const page = await server.request('/v1/crimes?primary_type=CRIMINAL+DAMAGE&limit=10000&fields=id,primary_type');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(expected);
    expect(new Set(page.body.data.map((row: { primary_type: string }) => row.primary_type))).toEqual(new Set(['CRIMINAL DAMAGE']));
  });

  it('trims whitespace around comma-separated values', async () => {
    const expected = Number((await server.db.knex.raw(`SELECT count(*)::int AS n FROM api.crimes WHERE primary_type IN ('THEFT', 'BATTERY')`)).rows[0].n);
    for (const list of ['THEFT,%20BATTERY', 'THEFT%20,BATTERY', '%20THEFT%20,%20%20BATTERY%20', 'THEFT,+BATTERY']) {
      const page = await server.request(`/v1/crimes?primary_type=${list}&limit=10000&fields=id,primary_type`);
      expect(page.status).toBe(200);
      expect(page.body.data).toHaveLength(expected);
      expect(new Set(page.body.data.map((row: { primary_type: string }) => row.primary_type))).toEqual(new Set(['THEFT', 'BATTERY']));
    }
  });
});

describe('years 0001-0099', () => {
  it('reads them as those years, not as 1901-1999', async () => {
    // Every sample row is after 0099, so from=0050 selects all and to=0099 selects none.
    const all = Number((await server.db.knex.raw('SELECT count(*)::int AS n FROM api.crimes')).rows[0].n);
    const from = await server.request('/v1/crimes?from=0050-01-01&limit=10000&fields=id');
    expect(from.status).toBe(200);
    expect(from.body.data).toHaveLength(all);
    const to = await server.request('/v1/crimes?to=0099-12-31T23:59:59&fields=id');
    expect(to.status).toBe(200);
    expect(to.body.data).toHaveLength(0);
    const report = await server.request('/v1/reports/crimes/by-zip?from=0001-01-01&to=0002-01-01');
    expect(report.status).toBe(200);
  });

  it('refuses year 0000 in words', async () => {
    const response = await server.request('/v1/crimes?from=0000-01-01');
    expectProblem(response, 400, 'from');
    expect(response.body.detail).toMatch(/no year 0000/);
  });
});

describe('what Node itself answers', () => {
  it('answers an over-long URL with problem+json', async () => {
    const response = await rawExchange(`GET /v1/crimes?primary_type=${'A'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(response.status).toBe(431);
    expect(response.head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(response.body)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
  });

  it('answers over-long headers with problem+json', async () => {
    const response = await rawExchange(`GET /v1/crimes HTTP/1.1\r\nHost: x\r\nX-Filler: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(response.status).toBe(431);
    expect(JSON.parse(response.body)).toMatchObject({ status: 431 });
  });

  it('answers a malformed request line with problem+json', async () => {
    const response = await rawExchange('GET /v1/crimes HTTP/1.1 nonsense\r\nHost: x\r\n\r\n');
    expect(response.status).toBe(400);
    expect(response.head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(response.body)).toMatchObject({ status: 400 });
  });

  it('never echoes an absolute-form request target', async () => {
    for (const target of ['http://evil.example/v1/crimes?limit=Infinity', 'http://evil.example/v1/nope', 'http://evil.example/v1/crimes?fields[a]=1']) {
      const response = await rawExchange(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.head).toMatch(/content-type: application\/problem\+json/i);
      expect(response.body).not.toContain('evil.example');
    }
  });

  it('keeps answering ordinary requests afterwards', async () => {
    const ok = await new Promise<number>((resolve, reject) => {
      httpRequest(`${server.url}/healthz`, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(ok).toBe(200);
  });
});
