import { isCancelledError, QueryClient } from '@tanstack/query-core';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import type { LiveServer } from '../../server/test/helpers.js';
import { aggregate, createLakefront, createLakefrontClient } from '../src/index.js';
import { aggregateCrimes } from '../src/operations.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startSampleServer } from './live-server.js';

/*
 * The query helpers in TanStack Query's own core (what useQuery and useInfiniteQuery run on in
 * React, Vue, Svelte and Solid): the SDK has no dependency on it, this test does.
 */
let server: LiveServer;
let queryClient: QueryClient;
const proxies: FaultProxy[] = [];
beforeAll(async () => {
  // ZIP boundaries too: the by-ZIP report counts crimes by the ZIP each point falls in.
  server = await startSampleServer([zipCodes, crimes]);
});
afterAll(() => server?.stop());
afterEach(async () => {
  queryClient?.clear();
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});
async function proxied(plan?: () => 'hang' | undefined): Promise<FaultProxy> {
  const proxy = await startFaultProxy(server.url, plan);
  proxies.push(proxy);
  return proxy;
}
const filters = { primaryType: 'THEFT', from: '2014-03-01', to: '2014-03-08' } as const;

describe('queryOptions', () => {
  it('gives { queryKey, queryFn } that fetchQuery runs, with the page typed', async () => {
    queryClient = new QueryClient();
    const lf = createLakefront({ baseUrl: server.url });
    const options = lf.crimes.queryOptions({ ...filters, fields: ['primary_type'], limit: 5 });
    expect(options.queryKey).toEqual(['lakefront', server.url, '/v1/crimes', 'list', { ...filters, fields: ['primary_type'], limit: 5 }]);
    const page = await queryClient.fetchQuery(options);
    expectTypeOf(page.data).toEqualTypeOf<Array<{ id: number; primary_type: string | null }>>();
    expect(page.data).toHaveLength(5);
    expect(page.data.every((row) => row.primary_type === 'THEFT')).toBe(true);
    expect(queryClient.getQueryData(options.queryKey)).toEqual(page);
  });

  it('reports get them too', async () => {
    queryClient = new QueryClient();
    const lf = createLakefront({ baseUrl: server.url });
    const report = await queryClient.fetchQuery(lf.reports.crimesByZip.queryOptions({ from: '2014-03-01', to: '2014-04-01', primaryType: 'THEFT' }));
    expect(report.data.length).toBeGreaterThan(5);
    expect(report.data.every((line) => line.primary_type === 'THEFT')).toBe(true);
  });

  it('aggregates get them too, and aggregate() builds one alone for a small bundle', async () => {
    queryClient = new QueryClient();
    const lf = createLakefront({ baseUrl: server.url });
    const options = lf.crimes.aggregate.queryOptions({ groupBy: 'primary_type', ...filters });
    const answer = await queryClient.fetchQuery(options);
    expectTypeOf(answer.data[0]!).toEqualTypeOf<{ primary_type: string | null; count: number }>();
    const thefts = Number((await server.db.knex('data.crimes').where('primary_type', 'THEFT').where('date', '>=', '2014-03-01').where('date', '<', '2014-03-08').count({ n: '*' }))[0]!.n);
    expect(answer.data).toEqual([{ primary_type: 'THEFT', count: thefts }]);
    const alone = aggregate(createLakefrontClient({ baseUrl: server.url }), aggregateCrimes);
    expect(await alone({ groupBy: 'primary_type', ...filters })).toEqual(answer);
  });

  it('the queryFn honours the signal TanStack gives it: cancelling the query aborts the request', async () => {
    queryClient = new QueryClient();
    const proxy = await proxied(() => 'hang');
    const signals: AbortSignal[] = [];
    const lf = createLakefront({ baseUrl: proxy.url, timeout: 0, onRequest: ({ init }) => void signals.push(init.signal) });
    const options = lf.crimes.queryOptions({ limit: 1 });
    const pending = queryClient.fetchQuery(options).catch((error: unknown) => error);
    await expect.poll(() => proxy.requests.length).toBe(1);
    await queryClient.cancelQueries({ queryKey: options.queryKey });
    expect(isCancelledError(await pending)).toBe(true);
    expect(signals[0]!.aborted).toBe(true);
  });
});

describe('infiniteQueryOptions', () => {
  it('pages follow next_cursor from initialPageParam null, and end on the last page', async () => {
    queryClient = new QueryClient();
    const proxy = await proxied();
    const lf = createLakefront({ baseUrl: proxy.url });
    const options = lf.crimes.infiniteQueryOptions({ ...filters, fields: ['id'], limit: 40 });
    expect(options.initialPageParam).toBeNull();
    const data = await queryClient.fetchInfiniteQuery({ ...options, pages: 2 });
    expect(data.pages).toHaveLength(2);
    expect(data.pageParams).toEqual([null, data.pages[0]!.next_cursor]);
    const ids = data.pages.flatMap((page) => page.data.map((row) => row.id));
    expect(new Set(ids).size).toBe(80);
    expect(new URL(proxy.paths()[1]!, proxy.url).searchParams.get('cursor')).toBe(data.pages[0]!.next_cursor);

    const theftCount = Number((await server.db.knex('data.crimes').where('primary_type', 'THEFT').where('date', '>=', '2014-03-01').where('date', '<', '2014-03-08').count({ n: '*' }))[0]!.n);
    queryClient.clear();
    const all = await queryClient.fetchInfiniteQuery({ ...lf.crimes.infiniteQueryOptions({ ...filters, fields: ['id'], limit: 40 }), pages: 100 });
    expect(all.pages.flatMap((page) => page.data)).toHaveLength(theftCount);
    expect(all.pages.at(-1)!.next_cursor).toBeNull();
    expect(options.getNextPageParam(all.pages.at(-1)!)).toBeNull();
  });
});
