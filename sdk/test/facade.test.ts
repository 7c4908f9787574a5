import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import type { LiveServer } from '../../server/test/helpers.js';
import { createLakefront, LakefrontAbortError, LakefrontError, type Crime } from '../src/index.js';
import { routeAt, routeOf, type Operation } from '../src/operation.js';
import { BOUNDARY_OPERATIONS, BOUNDARY_PATHS, DATASET_AGGREGATES, DATASET_OPERATIONS, DATASET_PATHS, REPORT_OPERATIONS, REPORT_PATHS } from '../src/table.js';
import { startSampleServer } from './live-server.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

const sample = readSodaFixture('ijzp-q8t2');
let server: LiveServer;
/** A recording proxy in front of the server: what the SDK sent, as the server received it. */
let observer: FaultProxy;

beforeAll(async () => {
  server = await startSampleServer();
  observer = await startFaultProxy(server.url);
});
afterAll(async () => {
  await observer?.close();
  await server?.stop();
});
beforeEach(() => {
  observer.requests.length = 0;
});
const observedUrls = () => observer.paths().map((path) => `${observer.url}${path}`);

describe('lf.crimes.list', () => {
  it('returns a typed page, sending camelCase parameters as the API names them', async () => {
    const lf = createLakefront({ baseUrl: observer.url });
    const page = await lf.crimes.list({ primaryType: ['NARCOTICS', 'THEFT'], from: '2014-03-10', to: '2014-03-11', limit: 5 });
    expectTypeOf(page.data).toEqualTypeOf<Required<Crime>[]>();
    expectTypeOf(page.next_cursor).toEqualTypeOf<string | null>();
    expect(page.data).toHaveLength(5);
    for (const crime of page.data) {
      expect(['NARCOTICS', 'THEFT']).toContain(crime.primary_type);
      expect(crime.date! >= '2014-03-10T00:00:00' && crime.date! < '2014-03-11T00:00:00').toBe(true);
    }
    expect(new URL(observedUrls()[0]!).searchParams.get('primary_type')).toBe('NARCOTICS,THEFT');

    const next = await lf.crimes.list({ primaryType: ['NARCOTICS', 'THEFT'], from: '2014-03-10', to: '2014-03-11', limit: 5, cursor: page.next_cursor! });
    expect(next.data.map((crime) => crime.id)).not.toContain(page.data[0]!.id);
  });

  it('types the rows by the columns `fields` selects', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const page = await lf.crimes.list({ fields: ['id', 'geo_zip'], zip: ['60614'], limit: 3 });
    expectTypeOf(page.data[0]!).toEqualTypeOf<{ id: number; geo_zip: string | null }>();
    expect(page.data).toHaveLength(3);
    for (const crime of page.data) expect(crime).toEqual({ id: expect.any(Number), geo_zip: '60614' });
    // @ts-expect-error the API's snake_case names are not facade parameters (checked by tsc, not run)
    const _typo = () => lf.crimes.list({ limit: 1, primary_type: ['THEFT'] });
  });

  it('sends the client\'s headers with every request, and a call\'s own headers with that call', async () => {
    const lf = createLakefront({ baseUrl: observer.url, headers: { 'x-client': 'analyst-notebook' } });
    await lf.datasets.list();
    await lf.crimes.list({ limit: 1 }, { headers: { 'x-request-id': 'r-42' } });
    expect(observer.requests.map((request) => [request.headers['x-client'], request.headers['x-request-id']])).toEqual([
      ['analyst-notebook', undefined],
      ['analyst-notebook', 'r-42'],
    ]);
  });

  it('lists the datasets with their row counts', async () => {
    const lf = createLakefront({ baseUrl: `${server.url}/` });
    const { data } = await lf.datasets.list();
    expect(data.find((dataset) => dataset.key === 'crimes')).toMatchObject({ row_count: sample.length, source_ids: ['ijzp-q8t2'] });
  });
});

describe('the table of operations', () => {
  const spec = parse(readFileSync(fileURLToPath(new URL('../../openapi/lakefront.yaml', import.meta.url)), 'utf8')) as { paths: Record<string, unknown> };
  const camel = (path: string) => path.replace(/[-/](\w)/g, (_match, letter: string) => letter.toUpperCase());
  /** The facade name the naming rule gives each spec path under a prefix (`/v1/reports/crimes/by-zip` → `crimesByZip`). */
  const namesUnder = (prefix: RegExp) =>
    Object.keys(spec.paths)
      .filter((path) => prefix.test(path))
      .map((path) => camel(path.replace(prefix, '')))
      .sort();

  it('has one line for every dataset and report in the spec, named by the rule', () => {
    // `/v1/{key}/aggregate` is `lf.<key>.aggregate` (sdk/test/aggregate.test.ts), not a name of its own.
    expect(Object.keys(DATASET_OPERATIONS).sort()).toEqual(namesUnder(/^\/v1\/(?!datasets$|reports\/|boundaries\/)(?!.*\/aggregate$)/));
    expect(Object.keys(REPORT_OPERATIONS).sort()).toEqual(namesUnder(/^\/v1\/reports\//));
    expect(Object.keys(BOUNDARY_OPERATIONS).sort()).toEqual(namesUnder(/^\/v1\/boundaries\//));
  });

  it('gives createLakefront, which runs on paths alone, the path and the serializer of each operation', () => {
    const pairs: Array<[Operation, string]> = [
      ...Object.entries(DATASET_OPERATIONS).map(([key, op]): [Operation, string] => [op, DATASET_PATHS[key as keyof typeof DATASET_PATHS].list]),
      ...Object.entries(DATASET_AGGREGATES).map(([key, op]): [Operation, string] => [op, DATASET_PATHS[key as keyof typeof DATASET_PATHS].aggregate]),
      ...Object.entries(REPORT_OPERATIONS).map(([key, op]): [Operation, string] => [op, REPORT_PATHS[key as keyof typeof REPORT_PATHS]]),
      ...Object.entries(BOUNDARY_OPERATIONS).map(([key, op]): [Operation, string] => [op, BOUNDARY_PATHS[key as keyof typeof BOUNDARY_PATHS]]),
    ];
    expect(pairs).toHaveLength(2 * Object.keys(DATASET_PATHS).length + Object.keys(REPORT_PATHS).length + Object.keys(BOUNDARY_PATHS).length);
    const generic = routeAt('/').querySerializer;
    for (const [op, path] of pairs) {
      const route = routeOf(op) as { url: string; querySerializer?: { parameters?: Record<string, unknown> } };
      expect(route.url).toBe(path);
      // Every list parameter the generated operation knows is written the one way routeAt writes them all.
      for (const serializer of Object.values(route.querySerializer?.parameters ?? {})) expect(serializer).toEqual(generic);
    }
  });

  it('calls, for every name, the path that name comes from', async () => {
    const lf = createLakefront({ baseUrl: observer.url, retry: false }) as unknown as Record<string, any>;
    const requestedPath = async (call: () => Promise<unknown>) => {
      // Reports called without their required parameters answer 400: the path is what matters here.
      await call().catch((error: unknown) => expect(error).toMatchObject({ status: 400 }));
      return new URL(observedUrls().at(-1)!).pathname;
    };
    for (const key of Object.keys(DATASET_OPERATIONS)) {
      expect(camel((await requestedPath(() => lf[key].list({ limit: 1 }))).replace('/v1/', ''))).toBe(key);
    }
    for (const key of Object.keys(REPORT_OPERATIONS)) {
      expect(camel((await requestedPath(() => lf.reports[key]({}))).replace('/v1/reports/', ''))).toBe(key);
    }
    for (const key of Object.keys(BOUNDARY_OPERATIONS)) {
      expect(camel((await requestedPath(() => lf.boundaries[key]())).replace('/v1/boundaries/', ''))).toBe(key);
    }
  });
});

describe('lf.crimes.rows', () => {
  it('yields every sample row exactly once, fetching each page once', async () => {
    const lf = createLakefront({ baseUrl: observer.url });
    const ids: number[] = [];
    for await (const crime of lf.crimes.rows({ limit: 1000 })) {
      expectTypeOf(crime).toEqualTypeOf<Required<Crime>>();
      ids.push(crime.id);
    }
    expect(ids).toHaveLength(sample.length);
    expect(new Set(ids)).toEqual(new Set(sample.map((row) => Number(row.id))));
    expect(observedUrls()).toHaveLength(Math.ceil(sample.length / 1000));
    expect(new Set(observedUrls()).size).toBe(observedUrls().length);
  });

  it('stops fetching when the loop is left', async () => {
    const lf = createLakefront({ baseUrl: observer.url });
    let seen = 0;
    for await (const _crime of lf.crimes.rows({ limit: 10, primaryType: ['THEFT'] })) {
      if (++seen === 15) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(observedUrls()).toHaveLength(2);
  });

  it('rejects with LakefrontAbortError once the signal fires, between rows or during a fetch', async () => {
    const lf = createLakefront({ baseUrl: observer.url });
    const between = new AbortController();
    const iterator = lf.crimes.rows({ limit: 10 }, { signal: between.signal });
    expect((await iterator.next()).done).toBe(false);
    between.abort();
    await expect(iterator.next()).rejects.toBeInstanceOf(LakefrontAbortError);
    expect(observedUrls()).toHaveLength(1);

    const during = new AbortController();
    const pending = lf.crimes.rows({ limit: 10 }, { signal: during.signal }).next();
    during.abort();
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakefrontAbortError);
    expect(error).toMatchObject({ name: 'AbortError', status: 0 });
  });
});

describe('exports', () => {
  const filters = { from: '2014-03-10', to: '2014-03-12', primaryType: ['THEFT'] };

  it('returns CSV text with exactly the rows the JSON iterator yields', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const csv = await lf.crimes.csv({ ...filters, fields: ['id', 'primary_type'] });
    const [header, ...lines] = csv.split(/\r?\n/).filter(Boolean);
    expect(header).toBe('id,primary_type');
    const ids: number[] = [];
    for await (const crime of lf.crimes.rows({ ...filters, fields: ['id'] })) ids.push(crime.id);
    expect(ids.length).toBeGreaterThan(50);
    expect(lines).toEqual(ids.map((id) => `${id},THEFT`));
  });

  it('streams the same CSV as a web ReadableStream', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const stream = await lf.crimes.csvStream(filters);
    expect(stream).toBeInstanceOf(ReadableStream);
    expect(await new Response(stream).text()).toBe(await lf.crimes.csv(filters));
  });

  it('rejects a stream being read with LakefrontAbortError once the signal fires', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const controller = new AbortController();
    const reader = (await lf.crimes.csvStream({}, { signal: controller.signal })).getReader();
    expect((await reader.read()).done).toBe(false);
    controller.abort();
    let error: unknown;
    try {
      while (!(await reader.read()).done);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LakefrontAbortError);
  });

  it('answers a page of GeoJSON features for a dataset with points', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const collection = await lf.crimes.geojson({ ...filters, fields: ['id', 'primary_type'], limit: 4 });
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(4);
    expectTypeOf(collection.features[0]!.properties).toEqualTypeOf<{ id: number; primary_type: string | null }>();
    expect(collection.features[0]!.properties.primary_type).toBe('THEFT');
    expect(collection.next_cursor).toEqual(expect.any(String));
  });
});

describe('lf.reports', () => {
  it('crimesByZip counts what the rows say, per ZIP and type', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const report = await lf.reports.crimesByZip({ from: '2014-03-01', to: '2014-04-01', primaryType: ['THEFT', 'BATTERY'] });
    expectTypeOf(report.data[0]!.count).toEqualTypeOf<number>();
    const expected = new Map<string, number>();
    for await (const crime of lf.crimes.rows({ from: '2014-03-01', to: '2014-04-01', primaryType: ['THEFT', 'BATTERY'], fields: ['geo_zip', 'primary_type'] })) {
      if (crime.geo_zip === null) continue;
      const key = `${crime.geo_zip} ${crime.primary_type}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(expected.size).toBeGreaterThan(20);
    expect(new Map(report.data.map((line) => [`${line.zip} ${line.primary_type}`, line.count]))).toEqual(expected);
  });

  it('requires the parameters the spec requires', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const trend = await lf.reports.crimesTrends({ zip: ['60614'], interval: 'week', from: '2014-03-01', to: '2014-04-01' });
    expect(trend.data.reduce((sum, line) => sum + line.count, 0)).toBeGreaterThan(50);
    // @ts-expect-error `zip` and `interval` are required (checked by tsc, not run)
    const _missing = () => lf.reports.crimesTrends({ from: '2014-03-01' });
  });
});

describe('lf.boundaries', () => {
  it('answers the ZIP code areas as GeoJSON, one feature per ZIP', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const zips = await lf.boundaries.zipCodes();
    expect(zips.type).toBe('FeatureCollection');
    const geometryTypes = new Set(zips.features.map((feature) => feature.geometry.type));
    expect(geometryTypes).toEqual(new Set(['MultiPolygon']));
    const names = zips.features.map((feature) => feature.properties.zip);
    expect(names).toContain('60614');
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('errors', () => {
  it('turns a 400 problem into a LakefrontError naming the parameter', async () => {
    const lf = createLakefront({ baseUrl: observer.url });
    const error = await lf.crimes.list({ limit: -1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LakefrontError);
    expect(error).toBeInstanceOf(Error);
    const problem = error as LakefrontError;
    expect(problem).toMatchObject({ status: 400, title: 'Bad Request', type: 'about:blank', instance: '/v1/crimes' });
    expect(problem.errors.map((item) => item.name)).toEqual(['limit']);
    expect(problem.message).toMatch(/^400 Bad Request: limit/);
    expect(problem.response?.status).toBe(400);
    expect(observedUrls()).toHaveLength(1);
  });
});
