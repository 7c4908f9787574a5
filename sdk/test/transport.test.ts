import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { LiveServer } from '../../server/test/helpers.js';
import type { listCrimes } from '../src/operations.js';
import {
  createLakefront,
  DEFAULT_TIMEOUT_MS,
  etagOf,
  isNotModified,
  type AggregateAnswer,
  type NotModified,
  type PageOf,
  LakefrontError,
  LakefrontInvalidRequestError,
  LakefrontNotFoundError,
  LakefrontServerError,
  LakefrontTimeoutError,
  type ResponseContext,
} from '../src/index.js';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js';
import { startSampleServer } from './live-server.js';

const run = promisify(execFile);
let server: LiveServer;
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  server = await startSampleServer([crimes]);
});
afterAll(() => server?.stop());
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

async function proxy(plan?: (attempt: number) => Fault | undefined): Promise<FaultProxy> {
  const started = await startFaultProxy(server.url, plan);
  proxies.push(started);
  return started;
}
const fast = { minDelayMs: 1, maxDelayMs: 20 };

describe('cancellation and timeouts', () => {
  it('end every call against a server that never answers, with a garbage collection every 20 ms', async () => {
    // A child process: --expose-gc, and no test runner holding references that could hide the bug.
    const script = fileURLToPath(new URL('./gc/cancel-under-gc.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', script], { cwd: fileURLToPath(new URL('.', import.meta.url)), timeout: 60_000 });
    const results = JSON.parse(stdout) as Record<string, { error: string; ms: number }>;
    expect(Object.fromEntries(Object.entries(results).map(([name, { error }]) => [name, error]))).toEqual({
      signal: 'AbortError',
      callTimeout: 'TimeoutError',
      clientTimeout: 'TimeoutError',
      rowsSignal: 'AbortError',
      bodyTimeout: 'TimeoutError',
    });
    // Not a speed target: a lost signal never ends at all, so any bound well past the 1-1.5 s given tells.
    for (const { ms } of Object.values(results)) expect(ms).toBeLessThan(10_000);
  });

  it('retries an attempt that timed out, and answers from the next one', async () => {
    const observer = await proxy((attempt) => (attempt === 1 ? 'hang' : undefined));
    // Long enough for a busy machine's real answer, short enough for a test.
    const lf = createLakefront({ baseUrl: observer.url, timeout: 2000, retry: { retries: 1, ...fast } });
    const page = await lf.crimes.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(observer.requests).toHaveLength(2);
  });

  it('gives up with LakefrontTimeoutError when every attempt times out; the default timeout is 30 s', async () => {
    const observer = await proxy(() => 'hang');
    const lf = createLakefront({ baseUrl: observer.url, timeout: 200, retry: { retries: 1, ...fast } });
    const error = await lf.crimes.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakefrontTimeoutError);
    expect(error).toMatchObject({ name: 'TimeoutError', status: 0, message: 'No answer from the server within 200 ms' });
    expect(observer.requests).toHaveLength(2);
    expect(DEFAULT_TIMEOUT_MS).toBe(30_000);
  });
});

describe('options per client and per call', () => {
  it('hooks see each attempt: onRequest can add a header, onResponse sees every status', async () => {
    const observer = await proxy((attempt) => (attempt === 1 ? { status: 503 } : undefined));
    const seen: Array<Pick<ResponseContext, 'attempt' | 'url'> & { status: number }> = [];
    const lf = createLakefront({
      baseUrl: observer.url,
      retry: fast,
      onRequest: ({ init, attempt }) => init.headers.set('x-attempt', String(attempt)),
      onResponse: ({ attempt, url, response, elapsedMs }) => {
        expect(elapsedMs).toBeGreaterThanOrEqual(0);
        seen.push({ attempt, url, status: response.status });
      },
    });
    await lf.crimes.list({ limit: 1 });
    const url = `${observer.url}/v1/crimes?limit=1&format=json`;
    expect(seen).toEqual([
      { attempt: 0, url, status: 503 },
      { attempt: 1, url, status: 200 },
    ]);
    expect(observer.requests.map((request) => request.headers['x-attempt'])).toEqual(['0', '1']);
  });

  it('a call\'s retries override the client\'s', async () => {
    const observer = await proxy(() => ({ status: 503 }));
    const lf = createLakefront({ baseUrl: observer.url, retries: 3, retry: fast });
    await expect(lf.crimes.list({ limit: 1 }, { retries: 0 })).rejects.toBeInstanceOf(LakefrontServerError);
    expect(observer.requests).toHaveLength(1);
    await expect(lf.crimes.list({ limit: 1 }, { retries: 1 })).rejects.toBeInstanceOf(LakefrontServerError);
    expect(observer.requests).toHaveLength(3);
  });
});

describe('errors by status family, with the server\'s request id', () => {
  it('a 400 from the server is LakefrontInvalidRequestError carrying the X-Request-Id the server logged', async () => {
    const observer = await proxy();
    const lf = createLakefront({ baseUrl: observer.url });
    const error = (await lf.crimes.list({ limit: 0 }).catch((caught: unknown) => caught)) as LakefrontError;
    expect(error).toBeInstanceOf(LakefrontInvalidRequestError);
    expect(error).toBeInstanceOf(LakefrontError);
    expect(error.status).toBe(400);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(`(request ${error.requestId})`);

    const named = (await lf.crimes.list({ limit: 0 }, { headers: { 'x-request-id': 'support-ticket-7' } }).catch((caught: unknown) => caught)) as LakefrontError;
    expect(named.requestId).toBe('support-ticket-7');
  });

  it('404 is LakefrontNotFoundError, 500 LakefrontServerError (not retried)', async () => {
    const notFound = await proxy(() => ({ status: 404 }));
    await expect(createLakefront({ baseUrl: notFound.url, retry: fast }).crimes.list()).rejects.toBeInstanceOf(LakefrontNotFoundError);
    const failing = await proxy(() => ({ status: 500 }));
    const error = await createLakefront({ baseUrl: failing.url, retry: fast }).crimes.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakefrontServerError);
    expect(error).toMatchObject({ status: 500, requestId: 'proxy-1' });
    expect(failing.requests).toHaveLength(1);
  });
});

describe('the revalidating cache', () => {
  it('sends If-None-Match with the ETag it kept, and answers a 304 from its copy', async () => {
    const observer = await proxy();
    const lf = createLakefront({ baseUrl: observer.url, cache: true });
    const first = await lf.crimes.list({ primaryType: 'THEFT', limit: 3 });
    first.data.length = 0; // a caller changing its result changes no later one
    const second = await lf.crimes.list({ primaryType: 'THEFT', limit: 3 });
    expect(second.data).toHaveLength(3);
    expect(second.data.every((row) => row.primary_type === 'THEFT')).toBe(true);
    expect(observer.requests.map((request) => request.status)).toEqual([200, 304]);
    expect(observer.requests[0]!.headers['if-none-match']).toBeUndefined();
    expect(observer.requests[1]!.headers['if-none-match']).toMatch(/^(W\/)?"/);
  });

  it('the cache\'s copy is not a conditional call\'s answer: ifNoneMatch is answered NotModified even with the cache on', async () => {
    const observer = await proxy();
    const lf = createLakefront({ baseUrl: observer.url, cache: true });
    const first = await lf.crimes.list({ limit: 1 });
    const answer = await lf.crimes.list({ limit: 1 }, { ifNoneMatch: etagOf(first) });
    expect(isNotModified(answer)).toBe(true);
    expect(observer.requests.map((request) => request.status)).toEqual([200, 304]);
  });
});

describe('conditional calls: a 304 is a NotModified result, never an error', () => {
  it('list with ifNoneMatch: NotModified while current, the page when the ETag is not current', async () => {
    const observer = await proxy();
    const lf = createLakefront({ baseUrl: observer.url });
    const first = await lf.crimes.list({ primaryType: 'THEFT', limit: 2 });
    // The server's own ETag for the same URL, from a plain fetch: the SDK keeps it beside the result.
    const served = (await fetch(`${server.url}/v1/crimes?primary_type=THEFT&limit=2&format=json`)).headers.get('etag');
    expect(served).toMatch(/^(W\/)?"/);
    expect(etagOf(first)).toBe(served);
    expect(Object.keys(first).sort()).toEqual(['data', 'next_cursor']); // the result is still exactly the JSON

    const again = await lf.crimes.list({ primaryType: 'THEFT', limit: 2 }, { ifNoneMatch: etagOf(first) });
    expectTypeOf(again).toEqualTypeOf<PageOf<typeof listCrimes> | NotModified>();
    expect(again).toEqual({ notModified: true, status: 304, etag: served, requestId: expect.any(String) });
    expect(observer.requests[1]!.headers['if-none-match']).toBe(served);
    expect(observer.requests.map((request) => request.status)).toEqual([200, 304]);

    const changed = await lf.crimes.list({ primaryType: 'THEFT', limit: 2 }, { ifNoneMatch: '"not-the-current-one"' });
    if (isNotModified(changed)) throw new Error('a stale ETag was answered 304');
    expectTypeOf(changed).toEqualTypeOf<PageOf<typeof listCrimes>>();
    expect(changed.data).toEqual(first.data);

    // No options, or options without ifNoneMatch: the type has no NotModified in it.
    expectTypeOf(await lf.crimes.list({ limit: 1 }, { retries: 0 })).toEqualTypeOf<PageOf<typeof listCrimes>>();
  });

  it('an If-None-Match header, a report and an aggregate answer NotModified too', async () => {
    const observer = await proxy();
    const lf = createLakefront({ baseUrl: observer.url });
    const page = await lf.crimes.list({ limit: 1 });
    expect(isNotModified(await lf.crimes.list({ limit: 1 }, { headers: { 'If-None-Match': etagOf(page)! } }))).toBe(true);

    const report = await lf.reports.crimesByZip({ from: '2014-03-01', to: '2014-04-01' });
    expect(isNotModified(await lf.reports.crimesByZip({ from: '2014-03-01', to: '2014-04-01' }, { ifNoneMatch: etagOf(report) }))).toBe(true);
    const groups = await lf.crimes.aggregate({ groupBy: 'primary_type' });
    const groupsAgain = await lf.crimes.aggregate({ groupBy: 'primary_type' }, { ifNoneMatch: etagOf(groups) });
    expectTypeOf(groupsAgain).toEqualTypeOf<AggregateAnswer<{ primary_type: string | null; count: number }> | NotModified>();
    expect(isNotModified(groupsAgain)).toBe(true);
    expect(observer.requests.map((request) => request.status)).toEqual([200, 304, 200, 304, 200, 304]);
  });

  it('geojson takes ifNoneMatch too; pages() refuses to revalidate rather than yield a NotModified as a page', async () => {
    const observer = await proxy();
    const lf = createLakefront({ baseUrl: observer.url });
    const features = await lf.crimes.geojson({ limit: 2 });
    expect(features.features).toHaveLength(2);
    expect(isNotModified(await lf.crimes.geojson({ limit: 2 }, { ifNoneMatch: etagOf(features) }))).toBe(true);

    const page = await lf.crimes.list({ limit: 2 });
    const pages = lf.crimes.pages({ limit: 2 }, { headers: { 'if-none-match': etagOf(page)! } });
    await expect(pages.next()).rejects.toMatchObject({ status: 304, message: expect.stringContaining('cannot revalidate') });
    expect(observer.requests.map((request) => request.status)).toEqual([200, 304, 200, 304]);
  });

  it('a 304 to an If-None-Match the call did not ask for (a client header) says what to do instead', async () => {
    const observer = await proxy();
    const etag = (await fetch(`${server.url}/v1/crimes?limit=1&format=json`)).headers.get('etag')!;
    const lf = createLakefront({ baseUrl: observer.url, headers: { 'if-none-match': etag } });
    const error = await lf.crimes.list({ limit: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakefrontError);
    expect(error).toMatchObject({ status: 304, message: expect.stringContaining('{ ifNoneMatch }') });
  });
});
