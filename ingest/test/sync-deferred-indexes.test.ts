import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { createSyncHooks } from '../sync/hooks.js';
import { syncDataset } from '../sync/sync-dataset.js';
import { actualRows, expectedRows, inPortalOrder } from '../../testing/compare.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, syncOptions } from './helpers.js';

const PORTAL = 'ijzp-q8t2';
const ROWS = 2000;
let db: Database;
let server: SodaTestServer;
/** pg_indexes of data.crimes as the migrations made it, read before any sync. */
let migrated: IndexRow[];

interface IndexRow {
  indexname: string;
  indexdef: string;
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer();
  serveFixture(server.store, PORTAL, { rows: ROWS });
  migrated = await indexes(db.knex);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});
beforeEach(async () => {
  server.setFaults(undefined);
  // An empty table and no sync history: what a first sync meets.
  await db.knex.raw('TRUNCATE data.crimes');
  await db.knex.raw('DELETE FROM lakefront.sync_state');
  await db.knex.raw('DELETE FROM data.aggregate_dirty');
  await db.knex.raw(`DELETE FROM data.aggregate_rollups WHERE dataset = 'crimes'`);
});

async function indexes(knex: Knex): Promise<IndexRow[]> {
  const result = await knex.raw(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'data' AND tablename = 'crimes' ORDER BY indexname`);
  return result.rows as IndexRow[];
}

/** Each index's relation id: a rebuilt index gets a new one. */
async function indexOids(knex: Knex): Promise<Record<string, number>> {
  const result = await knex.raw(`SELECT c.relname, c.oid::int AS oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'data.crimes'::regclass`);
  return Object.fromEntries((result.rows as { relname: string; oid: number }[]).map((row) => [row.relname, row.oid]));
}

async function enabledTriggers(knex: Knex): Promise<string[]> {
  const result = await knex.raw(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'data.crimes'::regclass AND NOT tgisinternal AND tgenabled = 'O' ORDER BY tgname`);
  return (result.rows as { tgname: string }[]).map((row) => row.tgname);
}

async function journal(knex: Knex): Promise<number> {
  return (await knex.raw('SELECT count(*)::int AS n FROM lakefront.deferred_indexes')).rows[0].n as number;
}

/** The aggregate endpoint's day totals against a count of the table itself. */
async function expectRollupsExact(knex: Knex): Promise<void> {
  const rolled = await knex.raw(`SELECT period::text AS day, count::int AS n FROM data.aggregate_rollups WHERE dataset = 'crimes' AND grain = 'day' AND dim = '' ORDER BY 1 NULLS FIRST`);
  const counted = await knex.raw(`SELECT date::date::text AS day, count(*)::int AS n FROM data.crimes GROUP BY 1 ORDER BY 1 NULLS FIRST`);
  expect(rolled.rows.length).toBeGreaterThan(0);
  expect(rolled.rows).toEqual(counted.rows);
  const status = await knex.raw(`SELECT current FROM api.aggregate_status WHERE dataset = 'crimes'`);
  expect(status.rows[0].current).toBe(true);
}

const expected = () => expectedRows(crimes, [{ sourceId: PORTAL, rows: server.store.rows(PORTAL) }]);

describe(`a first sync loads first and indexes after (${BACKEND})`, () => {
  it('ends with the same indexes, by name and definition, rebuilt, and the same rows and rollups', { timeout: 120_000 }, async () => {
    expect(migrated.map((row) => row.indexname)).toEqual(['crimes_date_id_idx', 'crimes_geo_zip_date_idx', 'crimes_pkey', 'crimes_primary_type_date_idx']);
    const before = await indexOids(db.knex);
    const triggers = await enabledTriggers(db.knex);
    expect(triggers).toEqual(['crimes_aggregate_delete', 'crimes_aggregate_insert', 'crimes_aggregate_update']);
    const { log, text } = capturingLogger('debug');
    const hooks = await createSyncHooks(db, log);
    const summary = await syncDataset(db, crimes, syncOptions(server, log, { pageSize: 500, hooks }));
    expect(summary.error).toBeUndefined();
    // Full pages: the later ones were decoded on the second core, with the same enricher.
    expect(text()).toContain('pages are decoded in a worker thread');
    expect(text()).not.toContain('decoded on the main thread');

    expect(await indexes(db.knex)).toEqual(migrated);
    const after = await indexOids(db.knex);
    // The primary key was kept throughout; every secondary index was built anew after the load.
    expect(after.crimes_pkey).toBe(before.crimes_pkey);
    for (const name of ['crimes_date_id_idx', 'crimes_geo_zip_date_idx', 'crimes_primary_type_date_idx']) expect(after[name]).not.toBe(before[name]);
    expect(await enabledTriggers(db.knex)).toEqual(triggers);
    expect(await journal(db.knex)).toBe(0);
    expect(await actualRows(db.knex, crimes)).toEqual(expected());
    await expectRollupsExact(db.knex);
  });

  it('a sync into a table that has rows keeps its indexes as they are', { timeout: 120_000 }, async () => {
    const { log } = capturingLogger();
    await syncDataset(db, crimes, syncOptions(server, log, { pageSize: 500 }));
    const before = await indexOids(db.knex);
    const summary = await syncDataset(db, crimes, syncOptions(server, log, { pageSize: 500, full: true }));
    expect(summary.error).toBeUndefined();
    expect(await indexOids(db.knex)).toEqual(before);
    expect(await actualRows(db.knex, crimes)).toEqual(expected());
  });

  it('a load that fails part way leaves no table without its indexes, and a rerun completes it', { timeout: 120_000 }, async () => {
    const { log } = capturingLogger();
    let pages = 0;
    const failing = await syncDataset(
      db,
      crimes,
      syncOptions(server, log, {
        pageSize: 250,
        socrata: { baseUrl: server.url, retries: 1, minTimeoutMs: 1, maxTimeoutMs: 2 },
        // After two pages every request fails: the sync gives up mid-load.
        onProgress: () => {
          pages += 1;
          if (pages === 3) server.setFaults({ probability: 1, kinds: ['503'], retryAfterSeconds: 0 });
        },
      }),
    );
    expect(failing.status).toBe('failed');
    const kept = await actualRows(db.knex, crimes);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(ROWS);
    expect(await indexes(db.knex)).toEqual(migrated);
    expect(await journal(db.knex)).toBe(0);
    expect(await enabledTriggers(db.knex)).toHaveLength(3);

    server.setFaults(undefined);
    const hooks = await createSyncHooks(db, log);
    const rerun = await syncDataset(db, crimes, syncOptions(server, log, { pageSize: 250, hooks }));
    expect(rerun.error).toBeUndefined();
    expect(await actualRows(db.knex, crimes)).toEqual(expected());
    await expectRollupsExact(db.knex);
  });

  it('after a crash between load and index, the next sync rebuilds the indexes first and ends equal', { timeout: 120_000 }, async () => {
    // What a process killed mid-load leaves: indexes journaled and dropped, triggers disabled, some rows.
    expect((await db.knex.raw(`SELECT lakefront.defer_indexes('data.crimes') AS deferred`)).rows[0].deferred).toBe(true);
    expect((await indexes(db.knex)).map((row) => row.indexname)).toEqual(['crimes_pkey']);
    expect(await enabledTriggers(db.knex)).toEqual([]);
    // Meanwhile the aggregate endpoint says its rollups are behind, so it reads the table.
    expect((await db.knex.raw(`SELECT current FROM api.aggregate_status WHERE dataset = 'crimes'`)).rows[0].current).toBe(false);
    const first = inPortalOrder(server.store.rows(PORTAL))[0]!;
    await db.knex.raw(`INSERT INTO data.crimes (id, date, _source_id, _row_id, _updated_at) VALUES (?, '2001-01-01', ?, ?, '2000-01-01Z')`, [Number(first.id), PORTAL, String(first[':id'])]);

    const { log, text } = capturingLogger();
    const hooks = await createSyncHooks(db, log);
    const summary = await syncDataset(db, crimes, syncOptions(server, log, { pageSize: 500, hooks }));
    expect(summary.error).toBeUndefined();
    expect(text()).toContain('rebuilt the indexes an interrupted load of crimes had deferred');
    expect(await indexes(db.knex)).toEqual(migrated);
    expect(await enabledTriggers(db.knex)).toHaveLength(3);
    expect(await journal(db.knex)).toBe(0);
    expect(await actualRows(db.knex, crimes)).toEqual(expected());
    // The day of the row the crashed load wrote (2001-01-01) is gone from the rollups with it.
    await expectRollupsExact(db.knex);
  });

  it('defers only the empty tables of data, and only once', async () => {
    await expect(db.knex.raw(`SELECT lakefront.defer_indexes('lakefront.sync_state')`)).rejects.toMatchObject({ code: '42501' });
    await expect(db.knex.raw(`SELECT lakefront.restore_indexes('api.crimes')`)).rejects.toMatchObject({ code: '42501' });
    await db.knex.raw(`INSERT INTO data.crimes (id, _source_id, _row_id, _updated_at) VALUES (1, 'x', 'row-1', now())`);
    expect((await db.knex.raw(`SELECT lakefront.defer_indexes('data.crimes') AS deferred`)).rows[0].deferred).toBe(false);
    expect(await indexes(db.knex)).toEqual(migrated);
    await db.knex.raw('TRUNCATE data.crimes');
    expect((await db.knex.raw(`SELECT lakefront.defer_indexes('data.crimes') AS deferred`)).rows[0].deferred).toBe(true);
    await expect(db.knex.raw(`SELECT lakefront.defer_indexes('data.crimes')`)).rejects.toMatchObject({ code: '55000' });
    expect((await db.knex.raw(`SELECT lakefront.restore_indexes('data.crimes') AS restored`)).rows[0].restored).toBe(6);
    expect((await db.knex.raw(`SELECT lakefront.restore_indexes('data.crimes') AS restored`)).rows[0].restored).toBe(0);
    expect(await indexes(db.knex)).toEqual(migrated);
  });
});
