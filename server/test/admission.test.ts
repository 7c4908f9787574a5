import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startGuardedServer, type GuardedServer } from './support/guarded-server.js';

/** Admission by cost (#23): heavy pages are bounded, and each client has a budget of rows. */
let server: GuardedServer;

beforeAll(async () => {
  server = await startGuardedServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)), validateResponses: false });
});
afterAll(() => server?.stop());

function expectProblem(response: { status: number; headers: Headers; body: any }, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status });
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

describe('the bound on heavy requests', () => {
  it('refuses large pages and GeoJSON beyond it with 503 and Retry-After, and still serves small pages', async () => {
    const full = await startGuardedServer({ db: server.db, limits: { maxConcurrentHeavy: 0 }, validateResponses: false });
    try {
      for (const path of ['/v1/crimes?limit=5000', '/v1/crimes?limit=1001&fields=id', '/v1/crimes?format=geojson&limit=10']) {
        const response = await fetch(full.url + path);
        expectProblem({ status: response.status, headers: response.headers, body: await response.json() }, 503);
      }
      // An aggregate's limit caps groups, not rows: the explorer's charts and maps ask 10,000.
      const groups = await fetch(`${full.url}/v1/crimes/aggregate?group_by=primary_type&limit=10000`);
      expect(groups.status).toBe(200);
      expect(((await groups.json()) as { data: unknown[] }).data).toHaveLength(27);
      const small = await fetch(`${full.url}/v1/crimes?limit=1000&fields=id`);
      expect(small.status).toBe(200);
      expect(((await small.json()) as { data: unknown[] }).data).toHaveLength(1000);
    } finally {
      await full.close();
    }
  });
});

describe('the per-client row budget', () => {
  it('charges the rows actually served, not the rows asked for: a filtered page, an export', async () => {
    const rare = (await server.db.knex.raw(`SELECT primary_type, count(*)::int AS n FROM data.crimes GROUP BY primary_type HAVING count(*) < 50 ORDER BY count(*) DESC LIMIT 1`)).rows[0] as { primary_type: string; n: number };
    const total = Number((await server.db.knex.raw('SELECT count(*) AS n FROM data.crimes')).rows[0].n);
    const budgeted = await startGuardedServer({ db: server.db, limits: { rowsPerMinute: 3_000 }, validateResponses: false });
    try {
      // Asked 2,000, served a few dozen: 2,000 are still there for the next page.
      const filtered = await budgeted.request(`/v1/crimes?limit=2000&fields=id&primary_type=${encodeURIComponent(rare.primary_type)}`);
      expect(filtered.status).toBe(200);
      expect(filtered.body.data).toHaveLength(rare.n);
      expect((await budgeted.request('/v1/crimes?limit=2000&fields=id')).status).toBe(200);
      // That one served 2,000: what is left cannot cover another 2,000.
      expectProblem(await budgeted.request('/v1/crimes?limit=2000&fields=id'), 429);
    } finally {
      await budgeted.close();
    }
    const exporting = await startGuardedServer({ db: server.db, limits: { rowsPerMinute: 16_000 }, validateResponses: false });
    try {
      // A full export is admitted as a 10,000-row page and charged the rows it streamed.
      const csv = await fetch(`${exporting.url}/v1/crimes?format=csv&fields=id`);
      expect((await csv.text()).trim().split('\n')).toHaveLength(total + 1);
      expect(total).toBeLessThan(8_000);
      expect((await exporting.request('/v1/crimes?limit=8000&fields=id')).status).toBe(200);
      // Two full passes over the table: 16,000 minus both (plus what refilled meanwhile) cannot cover 8,000 again.
      expectProblem(await exporting.request('/v1/crimes?limit=8000&fields=id'), 429);
    } finally {
      await exporting.close();
    }
  });

  it('admits by the rows asked for, answers 429 with Retry-After once spent, and leaves other endpoints alone', async () => {
    const budgeted = await startGuardedServer({ db: server.db, limits: { rowsPerMinute: 3_000 }, validateResponses: false });
    try {
      expect((await budgeted.request('/v1/crimes?limit=2000&fields=id')).status).toBe(200);
      expect((await budgeted.request('/v1/crimes?limit=900&fields=id')).status).toBe(200);
      // 100 rows left: a page of 2,000 is refused, a page of 50 is still served.
      expectProblem(await budgeted.request('/v1/crimes?limit=2000&fields=id'), 429);
      expect((await budgeted.request('/v1/crimes?limit=50&fields=id')).status).toBe(200);
      expect((await budgeted.request('/v1/reports/crimes/by-zip?from=2014-01-01&to=2015-01-01')).status).toBe(200);
      expect((await budgeted.request('/v1/crimes/aggregate?bucket=day&limit=10000')).status).toBe(200);
      expect((await budgeted.request('/healthz')).status).toBe(200);
    } finally {
      await budgeted.close();
    }
  });
});
