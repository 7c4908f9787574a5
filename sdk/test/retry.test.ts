import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { LiveServer } from '../../server/test/helpers.js';
import {
  createLakefront,
  LakefrontAbortError,
  LakefrontInvalidRequestError,
  LakefrontNetworkError,
  LakefrontRateLimitError,
} from '../src/index.js';
import { backoffDelay, resolveRetry } from '../src/retry.js';
import { parseRetryAfter } from '../src/retry-after.js';
import { startSampleServer } from './live-server.js';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js';

let server: LiveServer;

beforeAll(async () => {
  // Retries are about the transport: any real page will do.
  server = await startSampleServer([crimes]);
});
afterAll(() => server?.stop());

const proxies: FaultProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});
/** A fault-injecting proxy in front of the live server. */
async function proxy(plan?: (attempt: number) => Fault | undefined): Promise<FaultProxy> {
  const started = await startFaultProxy(server.url, plan);
  proxies.push(started);
  return started;
}

const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 20 };

/** Faults for the first attempts (1-based), then the real server. */
const faultsFirst = (...faults: Fault[]) => (attempt: number) => faults[attempt - 1];

async function timed<T>(work: () => Promise<T>): Promise<{ value: T | unknown; ms: number }> {
  const started = performance.now();
  const value = await work().catch((error: unknown) => error);
  return { value, ms: performance.now() - started };
}

describe('retries against the real server', () => {
  it('retries a 503 after the Retry-After seconds, then returns the real page', async () => {
    const observer = await proxy(faultsFirst({ status: 503, retryAfter: '1' }));
    const lf = createLakefront({ baseUrl: observer.url, retry: { ...fast, maxDelayMs: 5000 } });
    const { value, ms } = await timed(() => lf.crimes.list({ limit: 3 }));
    expect(value).toMatchObject({ data: [expect.any(Object), expect.any(Object), expect.any(Object)] });
    expect(observer.requests).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(990);
  });

  it('honours a Retry-After given as an HTTP date on a 429', async () => {
    const retryAt = new Date(Date.now() + 2000).toUTCString();
    const observer = await proxy(faultsFirst({ status: 429, retryAfter: retryAt }));
    const lf = createLakefront({ baseUrl: observer.url, retry: { ...fast, maxDelayMs: 5000 } });
    const { value, ms } = await timed(() => lf.crimes.list({ limit: 1 }));
    expect(value).toMatchObject({ data: [expect.any(Object)] });
    expect(observer.requests).toHaveLength(2);
    // The date has whole seconds, so the wait is between 1 and 2 s.
    expect(ms).toBeGreaterThanOrEqual(990);
  });

  it('retries network errors, and gives up after the configured retries with LakefrontNetworkError', async () => {
    const flaky = await proxy(faultsFirst('reset', 'reset'));
    const recovered = await createLakefront({ baseUrl: flaky.url, retry: fast }).crimes.list({ limit: 1 });
    expect(recovered.data).toHaveLength(1);
    expect(flaky.requests).toHaveLength(3);

    const down = await proxy(() => 'reset');
    const error = await createLakefront({ baseUrl: down.url, retry: fast }).crimes.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakefrontNetworkError);
    expect(error).toMatchObject({ status: 0, response: undefined, requestId: undefined, message: expect.stringMatching(/^Network error: /) });
    expect(down.requests).toHaveLength(3);
  });

  it('reports a refused connection as LakefrontNetworkError, after the retries the hooks saw', async () => {
    const port = await closedPort();
    const attempts: number[] = [];
    const lf = createLakefront({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      onRequest: ({ attempt }) => void attempts.push(attempt),
    });
    await expect(lf.datasets.list()).rejects.toBeInstanceOf(LakefrontNetworkError);
    expect(attempts).toEqual([0, 1]);
  });

  it('is bounded: a 429 that never clears is retried `retries` times, then thrown', async () => {
    const observer = await proxy(() => ({ status: 429 }));
    const lf = createLakefront({ baseUrl: observer.url, retry: fast });
    const error = await lf.crimes.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakefrontRateLimitError);
    expect(error).toMatchObject({ status: 429, title: 'Fault 429', requestId: 'proxy-3' });
    expect(observer.requests).toHaveLength(3);
  });

  it('never retries another 4xx', async () => {
    const observer = await proxy();
    const lf = createLakefront({ baseUrl: observer.url, retry: fast });
    const error = await lf.crimes.list({ from: 'yesterday' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakefrontInvalidRequestError);
    expect(error).toMatchObject({ status: 400, errors: [{ name: 'from' }] });
    expect(observer.requests).toHaveLength(1);
  });

  it('does not wait for a Retry-After beyond maxDelayMs, and says how long the server asked for', async () => {
    const observer = await proxy(() => ({ status: 503, retryAfter: '120' }));
    const lf = createLakefront({ baseUrl: observer.url, retry: fast });
    const { value, ms } = await timed(() => lf.crimes.list());
    expect(value).toMatchObject({ status: 503, retryAfterMs: 120_000 });
    expect(observer.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1000);
  });

  it('does not retry with retry: false', async () => {
    const observer = await proxy(() => ({ status: 503 }));
    const lf = createLakefront({ baseUrl: observer.url, retry: false });
    await expect(lf.crimes.list()).rejects.toMatchObject({ status: 503, name: 'LakefrontServerError' });
    expect(observer.requests).toHaveLength(1);
  });

  it('ends a retry wait at once when the signal fires', async () => {
    const observer = await proxy(() => ({ status: 503, retryAfter: '5' }));
    const lf = createLakefront({ baseUrl: observer.url });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { value, ms } = await timed(() => lf.crimes.list({}, { signal: controller.signal }));
    expect(value).toBeInstanceOf(LakefrontAbortError);
    expect(ms).toBeLessThan(2000);
    expect(observer.requests).toHaveLength(1);
  });
});

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, within [minDelayMs, maxDelayMs]', () => {
    const policy = resolveRetry({ minDelayMs: 100, maxDelayMs: 1000 });
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([200, 400, 800, 1000, 1000]);
    expect(backoffDelay(5, policy, () => 0)).toBe(100);
    expect(backoffDelay(1, policy, () => 0.5)).toBe(250);
  });

  it('rejects a nonsensical policy with a clear message', () => {
    expect(() => resolveRetry({ retries: -1 })).toThrow('retry.retries must be a number >= 0');
    expect(() => createLakefront({ baseUrl: 'http://localhost', retries: 1.5 })).toThrow('retries must be an integer >= 0');
    expect(() => resolveRetry({ minDelayMs: 10, maxDelayMs: 5 })).toThrow('minDelayMs must not exceed');
    expect(() => createLakefront({ baseUrl: 'localhost:3000' })).toThrow('baseUrl must be an http(s) URL');
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
