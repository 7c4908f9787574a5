import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityAreas } from '../../core/datasets/community-areas.js';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import { syncDatasets } from '../../ingest/sync/run.js';
import { syncOptions } from '../../ingest/test/helpers.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { DATA_VERSION_REUSE_MS } from '../src/datasets-api/freshness.js';
import { RenderedCache } from '../src/datasets-api/rendered-cache.js';
import { startServer, type LiveServer } from './helpers.js';

// Reports and aggregates are rendered once per ETag (server/src/datasets-api/rendered-cache.ts).
// What a user must see: a repeat is the same answer, and a sync that changes the rows changes it.
// Both servers read one database: the one that validates responses, and one as deployed.
const CRIMES = 'ijzp-q8t2';
let soda: SodaTestServer;
let validated: LiveServer;
let deployed: LiveServer;

beforeAll(async () => {
  soda = await startSodaServer();
  for (const portalId of ['gdcf-axmw', 'igwz-8jzy', CRIMES]) serveFixture(soda.store, portalId);
  validated = await startServer();
  deployed = await startServer({ db: validated.db, validateResponses: false });
  await sync();
});
afterAll(async () => {
  await deployed?.stop().catch(() => undefined);
  await validated?.stop();
  await soda?.close();
});

async function sync(): Promise<void> {
  const summaries = await syncDatasets(validated.db, [zipCodes, communityAreas, crimes], syncOptions(soda, capturingLogger().log, { pageSize: 2000 }));
  for (const summary of summaries) expect(summary.error).toBeUndefined();
  // The data version behind the ETag is reused for DATA_VERSION_REUSE_MS: a sync this quick ends inside it.
  await new Promise((resolve) => setTimeout(resolve, DATA_VERSION_REUSE_MS + 50));
}

async function countsByType(): Promise<Map<string, number>> {
  const rows = (await validated.db.knex.raw('SELECT primary_type, count(*)::int AS n FROM data.crimes GROUP BY 1')).rows as { primary_type: string; n: number }[];
  return new Map(rows.map((row) => [row.primary_type, row.n]));
}

async function countsByZip(year: string): Promise<Map<string, number>> {
  const rows = (
    await validated.db.knex.raw(
      `SELECT geo_zip || '|' || primary_type AS key, count(*)::int AS n FROM data.crimes
       WHERE geo_zip IS NOT NULL AND date >= ?::date AND date < ?::date GROUP BY 1`,
      [`${year}-01-01`, `${Number(year) + 1}-01-01`],
    )
  ).rows as { key: string; n: number }[];
  return new Map(rows.map((row) => [row.key, row.n]));
}

const AGGREGATE = '/v1/crimes/aggregate?group_by=primary_type&order=primary_type&limit=1000';
const REPORT = '/v1/reports/crimes/by-zip?from=2014-01-01&to=2015-01-01';

function aggregateCounts(body: { data: { primary_type: string; count: number }[] }): Map<string, number> {
  return new Map(body.data.map((row) => [row.primary_type, row.count]));
}

function reportCounts(body: { data: { zip: string; primary_type: string; count: number }[] }): Map<string, number> {
  return new Map(body.data.map((row) => [`${row.zip}|${row.primary_type}`, row.count]));
}

// As deployed first: it renders on the misses (the fast lane's path); the validating server then
// replays the kept text and checks it against the spec.
describe.each([
  ['as deployed', () => deployed],
  ['validating responses', () => validated],
])('rendered answers (%s)', (_label, server) => {
  it('a repeated aggregate is the same answer, in each format, equal to plain SQL', async () => {
    const expected = await countsByType();
    expect(expected.size).toBeGreaterThan(10);
    const first = await server().get(AGGREGATE);
    const second = await server().get(AGGREGATE);
    expect(first.status).toBe(200);
    expect(aggregateCounts(first.body)).toEqual(expected);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('truncated')).toBe('false');

    const csv = await server().get(`${AGGREGATE}&format=csv`);
    const csvAgain = await server().get(`${AGGREGATE}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvAgain.text).toBe(csv.text);
    expect(csv.text.split('\r\n')[0]).toBe('primary_type,count');
    expect(csv.text.trim().split('\r\n')).toHaveLength(expected.size + 1);

    // A truncated answer says so on every repeat, not only when it was computed.
    for (let i = 0; i < 2; i++) {
      const cut = await server().get('/v1/crimes/aggregate?group_by=primary_type&order=primary_type&limit=2&format=ndjson');
      expect(cut.text.trim().split('\n')).toHaveLength(2);
      expect(cut.headers.get('truncated')).toBe('true');
    }
  });

  it('a repeated report is the same answer, equal to plain SQL', async () => {
    const expected = await countsByZip('2014');
    expect(expected.size).toBeGreaterThan(100);
    const first = await server().get(REPORT);
    const second = await server().get(REPORT);
    expect(reportCounts(first.body)).toEqual(expected);
    expect(second.text).toBe(first.text);
    const csv = await server().get(`${REPORT}&format=csv`);
    expect(csv.text.trim().split('\r\n')).toHaveLength(expected.size + 1);
    expect((await server().get(`${REPORT}&format=csv`)).text).toBe(csv.text);
  });
});

it('a sync that changes the rows changes the answers kept from before it', async () => {
  const aggregateBefore = await deployed.get(AGGREGATE);
  const reportBefore = await deployed.get(REPORT);
  const pickedType = 'THEFT';
  // A row the portal changed: a 2014 crime with a ZIP becomes a theft.
  const target = (
    await validated.db.knex.raw(
      `SELECT id::text AS id FROM data.crimes WHERE geo_zip IS NOT NULL AND primary_type <> ? AND date >= '2014-01-01' AND date < '2015-01-01' LIMIT 1`,
      [pickedType],
    )
  ).rows[0] as { id: string } | undefined;
  expect(target).toBeDefined();
  expect(soda.store.update(CRIMES, (row) => String(row.id) === target!.id, { primary_type: pickedType })).toBe(1);
  await sync();

  const expected = await countsByType();
  expect(expected.get(pickedType)).toBe(aggregateCounts(aggregateBefore.body).get(pickedType)! + 1);
  for (const server of [validated, deployed]) {
    const after = await server.get(AGGREGATE);
    expect(after.headers.get('etag')).not.toBe(aggregateBefore.headers.get('etag'));
    expect(aggregateCounts(after.body)).toEqual(expected);
    const report = await server.get(REPORT);
    expect(report.headers.get('etag')).not.toBe(reportBefore.headers.get('etag'));
    expect(reportCounts(report.body)).toEqual(await countsByZip('2014'));
    expect(report.text).not.toBe(reportBefore.text);
  }
});

describe('the memory of kept answers', () => {
  const renderCounter = () => {
    let renders = 0;
    return { render: async () => ({ text: `answer ${++renders}` }), renders: () => renders };
  };

  it('stays bounded when every request is a new URL with an empty answer', async () => {
    const cache = new RenderedCache(64 * 1024);
    const empty = async () => ({ text: '' });
    await cache.answer('W/"first"', empty);
    // Hostile clients mint endless distinct URLs whose answers are empty: each entry still costs memory.
    for (let i = 0; i < 10_000; i++) await cache.answer(`W/"tag-${i}"`, empty);
    const counter = renderCounter();
    await cache.answer('W/"first"', counter.render);
    expect(counter.renders()).toBe(1);
  });

  it('renders again once an answer has been kept for its time, even under the same tag', async () => {
    const cache = new RenderedCache(64 * 1024, 50);
    const counter = renderCounter();
    expect((await cache.answer('W/"same"', counter.render)).text).toBe('answer 1');
    expect((await cache.answer('W/"same"', counter.render)).text).toBe('answer 1');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await cache.answer('W/"same"', counter.render)).text).toBe('answer 2');
  });
});
