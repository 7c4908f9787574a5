import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { syncDataset } from '../../ingest/sync/sync-dataset.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { startSodaServer } from '../../testing/soda-server.js';
import { syncOptions } from '../../ingest/test/helpers.js';
import { startGuardedServer, type GuardedServer } from './support/guarded-server.js';

let server: GuardedServer;
/** The metrics before this file's sync: the sync engine's counters belong to the process, which may have synced before. */
let metricsBefore: string;

beforeAll(async () => {
  server = await startGuardedServer();
  metricsBefore = (await server.request('/metrics')).text;
  // A real sync through the real engine from the test portal, with faults so retries happen.
  const portal = await startSodaServer({ faults: { probability: 0.2, seed: 7, retryAfterSeconds: 0 } });
  try {
    serveFixture(portal.store, 'ijzp-q8t2');
    const summary = await syncDataset(server.db, crimes, syncOptions(portal, silentLogger, { pageSize: 1000 }));
    expect(summary.status).toBe('synced');
  } finally {
    await portal.close();
  }
});
afterAll(() => server?.stop());

/** The value of one sample line of the Prometheus text, e.g. `name{a="b"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('request ids and logs', () => {
  it('generates a request id, echoes it and logs the request with it', async () => {
    const response = await server.request('/v1/datasets');
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = server.logLines.find((entry) => (entry.req as { id?: string } | undefined)?.id === id);
    expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET', url: '/v1/datasets' }, res: { statusCode: 200 } });
    expect(typeof line!.responseTime).toBe('number');
    expect(JSON.stringify(line)).not.toMatch(/headers/);
  });

  it('keeps a sane incoming X-Request-Id and replaces a hostile one', async () => {
    const kept = await server.request('/healthz', { headers: { 'X-Request-Id': 'edge-42.abc:1' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-42.abc:1');
    for (const hostile of ['x'.repeat(200), '<script>alert(1)</script>', 'a b', '']) {
      const replaced = await server.request('/healthz', { headers: { 'X-Request-Id': hostile } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs client errors as warnings with their status', async () => {
    const response = await server.request('/v1/crimes?limit=0');
    expect(response.status).toBe(400);
    const line = server.logLines.find((entry) => (entry.req as { id?: string } | undefined)?.id === response.headers.get('x-request-id'));
    expect(line).toMatchObject({ level: 40, res: { statusCode: 400 } });
  });
});

describe('GET /metrics', () => {
  it('counts and times requests by route template and status', async () => {
    await server.request('/v1/crimes?limit=1');
    await server.request('/v1/crimes?limit=2');
    await server.request('/v1/crimes?limit=-5');
    await server.request('/v1/nothing-here');
    const metrics = await server.request('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = metrics.text;
    expect(sample(text, 'lakefront_http_requests_total{method="GET",route="/v1/crimes",status="200"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'lakefront_http_requests_total{method="GET",route="/v1/crimes",status="400"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'lakefront_http_requests_total{method="GET",route="unmatched",status="404"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'lakefront_http_request_duration_seconds_count{method="GET",route="/v1/crimes",status="200"}')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/lakefront_http_request_duration_seconds_bucket\{le="0\.05",method="GET",route="\/v1\/crimes",status="200"\} \d+/);
    // No raw URL (query strings) ever becomes a label.
    expect(text).not.toContain('limit=');
  });

  it('shows database pool usage', async () => {
    const text = (await server.request('/metrics')).text;
    for (const name of ['used', 'free', 'pending_acquires', 'pending_creates', 'max']) {
      expect(sample(text, `lakefront_db_pool_${name}`)).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'lakefront_db_pool_max')).toBeGreaterThan(0);
  });

  it('shows ingest rows, duration, retries and last success per dataset', async () => {
    const text = (await server.request('/metrics')).text;
    // From the database (whichever process synced) ...
    expect(sample(text, 'lakefront_dataset_rows{dataset="crimes"}')).toBe(6957);
    expect(sample(text, 'lakefront_dataset_last_success_timestamp_seconds{dataset="crimes"}')).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(sample(text, 'lakefront_dataset_last_sync_duration_seconds{dataset="crimes"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'lakefront_dataset_state_readable')).toBe(1);
    // ... and from the sync engine in this process (counted since the process started: this file's sync is the difference).
    const counted = (series: string) => sample(text, series)! - (sample(metricsBefore, series) ?? 0);
    expect(counted('lakefront_ingest_rows_total{dataset="crimes"}')).toBe(6957);
    expect(counted('lakefront_ingest_retries_total{dataset="crimes"}')).toBeGreaterThan(0);
    expect(counted('lakefront_ingest_runs_total{dataset="crimes",outcome="success"}')).toBe(1);
    expect(counted('lakefront_ingest_run_duration_seconds_count{dataset="crimes"}')).toBe(1);
    expect(sample(text, 'lakefront_ingest_run_last_success_timestamp_seconds{dataset="crimes"}')).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(sample(text, 'lakefront_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('can be turned off', async () => {
    const quiet = await startGuardedServer({ db: server.db, limits: { metrics: false } });
    try {
      expect((await quiet.request('/metrics')).status).toBe(404);
    } finally {
      await quiet.close();
    }
  });
});
