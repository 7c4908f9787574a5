import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { connect, type Database } from '../../core/db/connect.js';
import { silentLogger } from '../../core/log.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { loadSample } from '../../ingest/load-sample.js';
import { createSyncHooks } from '../../ingest/sync/hooks.js';
import { syncDataset } from '../../ingest/sync/sync-dataset.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { startSodaServer } from '../../testing/soda-server.js';
import { syncOptions } from '../../ingest/test/helpers.js';
import { runCli } from './support/cli-process.js';
import { onPostgres, startGuardedServer } from './support/guarded-server.js';

/**
 * The migration's two roles, used the way an operator would: a login role that is a member of
 * each (`CREATE ROLE … LOGIN IN ROLE lakefront_api`), connected through its own URL.
 */
describe.skipIf(!onPostgres)('least privilege on real PostgreSQL (PGlite has no roles: skipped there)', () => {
  const suffix = randomBytes(4).toString('hex');
  const apiLogin = `lakefront_api_t${suffix}`;
  const ingestLogin = `lakefront_ingest_t${suffix}`;
  let owner: Database;
  let api: Database;
  let ingest: Database;

  function urlFor(role: string): string {
    const url = new URL(databaseUrlOf(owner)!);
    url.username = role;
    url.password = '';
    return url.toString();
  }

  beforeAll(async () => {
    owner = await createTestDatabase();
    await loadSample(owner.knex, crimes, silentLogger);
    await owner.knex.raw(`CREATE ROLE ${apiLogin} LOGIN IN ROLE lakefront_api`);
    await owner.knex.raw(`CREATE ROLE ${ingestLogin} LOGIN IN ROLE lakefront_ingest`);
    api = await connect({ databaseUrl: urlFor(apiLogin), poolMax: 2 });
    ingest = await connect({ databaseUrl: urlFor(ingestLogin), poolMax: 2 });
  });
  afterAll(async () => {
    await api?.close();
    await ingest?.close();
    await owner?.close();
    const admin = knexFactory({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP ROLE IF EXISTS ${apiLogin}`);
    await admin.raw(`DROP ROLE IF EXISTS ${ingestLogin}`);
    await admin.destroy();
  });

  async function expectDenied(knex: Knex, sql: string): Promise<void> {
    await expect(knex.raw(sql), sql).rejects.toMatchObject({ code: '42501' });
  }

  it('the API role reads the api views and nothing else', async () => {
    const [{ n }] = (await api.knex.raw('SELECT count(*)::int AS n FROM api.crimes')).rows;
    expect(n).toBe(6957);
    expect((await api.knex.raw('SELECT dataset FROM api.sync_state')).rows).toEqual([{ dataset: 'crimes' }]);
    await expectDenied(api.knex, 'SELECT * FROM data.crimes LIMIT 1');
    await expectDenied(api.knex, 'SELECT * FROM lakefront.sync_state');
    await expectDenied(api.knex, 'SELECT * FROM public.knex_migrations');
  });

  it('the API role cannot INSERT, UPDATE, DELETE or TRUNCATE, through views or tables', async () => {
    for (const target of ['api.crimes', 'data.crimes']) {
      await expectDenied(api.knex, `INSERT INTO ${target} (id) VALUES (1)`);
      await expectDenied(api.knex, `UPDATE ${target} SET block = 'x'`);
      await expectDenied(api.knex, `DELETE FROM ${target}`);
    }
    await expectDenied(api.knex, 'TRUNCATE data.crimes');
    await expectDenied(api.knex, 'UPDATE lakefront.sync_state SET rows_total = 0');
  });

  it('the API role cannot run DDL', async () => {
    await expectDenied(api.knex, 'CREATE TABLE api.evil (id int)');
    await expectDenied(api.knex, 'CREATE TABLE public.evil (id int)');
    await expectDenied(api.knex, 'CREATE TABLE data.evil (id int)');
    await expectDenied(api.knex, 'DROP VIEW api.crimes');
    await expectDenied(api.knex, 'ALTER TABLE data.crimes ADD COLUMN evil int');
    await expectDenied(api.knex, 'CREATE SCHEMA evil');
  });

  it('the role itself opens read-only sessions, whatever is granted to it later', async () => {
    const asRole = await owner.knex.transaction();
    try {
      await asRole.raw('SET LOCAL ROLE lakefront_api');
      const settings = (await owner.knex.raw(`SELECT unnest(setconfig) AS setting FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = 'lakefront_api'`)).rows;
      expect(settings.map((row: { setting: string }) => row.setting)).toEqual(expect.arrayContaining(['default_transaction_read_only=on', 'statement_timeout=15s']));
      await expect(asRole.raw('INSERT INTO data.crimes (id) VALUES (1)')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await asRole.rollback();
    }
  });

  it('the API serves every dataset through the read-only role', async () => {
    const server = await startGuardedServer({ db: api });
    try {
      const list = await server.request('/v1/datasets');
      expect(list.status).toBe(200);
      expect(list.body.data.find((entry: { key: string }) => entry.key === 'crimes')).toMatchObject({ row_count: 6957 });
      const page = await server.request('/v1/crimes?limit=5');
      expect(page.status).toBe(200);
      expect(page.body.data).toHaveLength(5);
      expect((await server.request('/readyz')).status).toBe(200);
      expect((await server.request('/metrics')).text).toMatch(/lakefront_dataset_rows\{dataset="crimes"\} 6957/);
    } finally {
      await server.close();
    }
  });

  it('the ingest role runs a real sync, writing data.* and lakefront.* and refreshing the report rollups', async () => {
    const portal = await startSodaServer();
    try {
      serveFixture(portal.store, 'ijzp-q8t2');
      await owner.knex.raw('TRUNCATE data.crimes');
      const hooks = await createSyncHooks(ingest);
      const summary = await syncDataset(ingest, crimes, syncOptions(portal, silentLogger, { pageSize: 2000, hooks }));
      expect(summary.error ?? '').toBe('');
      expect(summary.status).toBe('synced');
      const [{ n }] = (await owner.knex.raw('SELECT count(*)::int AS n FROM data.crimes')).rows;
      expect(n).toBe(6957);
      // The rollup was refreshed by the ingest role, through the owner's refresh function.
      const [{ rolled }] = (await owner.knex.raw('SELECT coalesce(sum(count), 0)::int AS rolled FROM api.crimes_zip_type_day')).rows;
      const [{ zipped }] = (await owner.knex.raw('SELECT count(*)::int AS zipped FROM data.crimes WHERE geo_zip IS NOT NULL')).rows;
      expect(rolled).toBe(zipped);
    } finally {
      await portal.close();
    }
  });

  it('`lakefront sync` runs as the ingest role, leaving migrations to the owner', async () => {
    const portal = await startSodaServer();
    try {
      serveFixture(portal.store, 'ijzp-q8t2', { rows: 500 });
      const sync = runCli(['sync', 'crimes', '--full'], { DATABASE_URL: urlFor(ingestLogin), LAKEFRONT_SOCRATA_URL: portal.url, LOG_LEVEL: 'info' });
      const { code } = await sync.exited;
      expect(sync.output()).toMatch(/may not migrate/);
      expect(code).toBe(0);
      const [{ n }] = (await owner.knex.raw('SELECT count(*)::int AS n FROM data.crimes')).rows;
      expect(n).toBe(500);
    } finally {
      await portal.close();
    }
  });

  it('the ingest role cannot touch anything outside data.* and lakefront.*', async () => {
    await expectDenied(ingest.knex, 'SELECT * FROM public.knex_migrations');
    await expectDenied(ingest.knex, `INSERT INTO public.knex_migrations (name, batch, migration_time) VALUES ('x', 1, now())`);
    await expectDenied(ingest.knex, 'DELETE FROM public.knex_migrations');
    await expectDenied(ingest.knex, 'INSERT INTO api.crimes (id) VALUES (1)');
    await expectDenied(ingest.knex, 'DROP VIEW api.crimes');
    await expectDenied(ingest.knex, 'CREATE VIEW api.evil AS SELECT 1');
    await expectDenied(ingest.knex, 'CREATE TABLE public.evil (id int)');
    await expectDenied(ingest.knex, 'CREATE SCHEMA evil');
    await expectDenied(ingest.knex, 'CREATE ROLE evil');
    await expectDenied(ingest.knex, 'DROP MATERIALIZED VIEW api.crimes_zip_type_day');
    await expectDenied(ingest.knex, 'REFRESH MATERIALIZED VIEW api.crimes_zip_type_day');
    // The refresh function refreshes report rollups and nothing else.
    await expectDenied(ingest.knex, `SELECT lakefront.refresh_rollup('api.crimes')`);
    await expectDenied(ingest.knex, `SELECT lakefront.refresh_rollup('public.knex_migrations')`);
    await expect(ingest.knex.raw(`SELECT lakefront.refresh_rollup('api.crimes_zip_type_day; DROP VIEW api.crimes')`)).rejects.toMatchObject({ code: '42602' });
    expect((await owner.knex.raw(`SELECT to_regclass('api.crimes') IS NOT NULL AS present`)).rows[0].present).toBe(true);
    await expectDenied(api.knex, `SELECT lakefront.refresh_rollup('api.crimes_zip_type_day')`);
    // The deferred-index journal holds statements the owner executes: the ingest role only reads it,
    // and the functions touch tables of data alone.
    await expectDenied(ingest.knex, `INSERT INTO lakefront.deferred_indexes (table_name, kind, name, definition) VALUES ('data.crimes', 'index', 'x', 'DROP VIEW api.crimes')`);
    await expectDenied(ingest.knex, `SELECT lakefront.defer_indexes('public.knex_migrations')`);
    await expectDenied(api.knex, `SELECT lakefront.restore_indexes('data.crimes')`);
  });
});
