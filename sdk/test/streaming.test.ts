import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { LiveServer } from '../../server/test/helpers.js';
import { createLakefront, LakefrontAbortError, type Crime } from '../src/index.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startSampleServer } from './live-server.js';

let server: LiveServer;
const proxies: FaultProxy[] = [];
beforeAll(async () => {
  server = await startSampleServer([crimes]);
});
afterAll(() => server?.stop());
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});
async function recording(): Promise<FaultProxy> {
  const proxy = await startFaultProxy(server.url);
  proxies.push(proxy);
  return proxy;
}

/** THEFT ids in early March, counted by the database itself: the independent answer. */
async function theftIds(): Promise<number[]> {
  const rows = await server.db
    .knex('data.crimes')
    .where('primary_type', 'THEFT')
    .where('date', '>=', '2014-03-01')
    .where('date', '<', '2014-03-08')
    .select('id');
  return rows.map((row: { id: number | string }) => Number(row.id)).sort((a, b) => a - b);
}
const filters = { primaryType: 'THEFT', from: '2014-03-01', to: '2014-03-08' } as const;

describe('ndjson()', () => {
  it('yields every matching row parsed and typed, from one streamed response', async () => {
    const proxy = await recording();
    const lf = createLakefront({ baseUrl: proxy.url });
    const ids: number[] = [];
    for await (const row of lf.crimes.ndjson({ ...filters, fields: ['primary_type', 'date'] })) {
      expectTypeOf(row).toEqualTypeOf<{ id: number; primary_type: string | null; date: string | null }>();
      expect(row.primary_type).toBe('THEFT');
      ids.push(row.id);
    }
    const expected = await theftIds();
    expect(expected.length).toBeGreaterThan(50);
    expect(ids.sort((a, b) => a - b)).toEqual(expected);
    expect(proxy.paths()).toEqual([expect.stringMatching(/^\/v1\/crimes\?.*format=ndjson/)]);
  });

  it('closes the response when the loop is left early', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    let seen = 0;
    for await (const row of lf.crimes.ndjson()) {
      expectTypeOf(row).toEqualTypeOf<Required<Crime>>();
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
  });
});

describe('pages()', () => {
  it('yields whole pages following next_cursor, one request per page', async () => {
    const proxy = await recording();
    const lf = createLakefront({ baseUrl: proxy.url });
    const ids: number[] = [];
    let pages = 0;
    for await (const page of lf.crimes.pages({ ...filters, limit: 25, fields: ['id'] })) {
      expectTypeOf(page.data).toEqualTypeOf<Array<{ id: number }>>();
      pages += 1;
      ids.push(...page.data.map((row) => row.id));
    }
    const expected = await theftIds();
    expect(ids.sort((a, b) => a - b)).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 25));
    expect(proxy.requests).toHaveLength(pages);
  });

  it('with prefetch, requests the next page before the current one is handled', async () => {
    const proxy = await recording();
    const lf = createLakefront({ baseUrl: proxy.url });
    const iterator = lf.crimes.pages({ ...filters, limit: 25 }, { prefetch: true });
    await iterator.next();
    // The first page is in hand and nothing more was asked of the iterator: the second is on its way.
    await expect.poll(() => proxy.requests.length).toBe(2);
    await iterator.return();

    const lazy = await recording();
    const plain = createLakefront({ baseUrl: lazy.url }).crimes.pages({ ...filters, limit: 25 });
    await plain.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lazy.requests).toHaveLength(1);
    await plain.return();
  });

  it('rejects with LakefrontAbortError when the signal fires, a prefetch included', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const controller = new AbortController();
    const iterator = lf.crimes.pages({ ...filters, limit: 5 }, { prefetch: true, signal: controller.signal });
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toBeInstanceOf(LakefrontAbortError);
  });
});
