// The 8M-crimes database the read benchmarks share (bench:api, bench:aggregate, bench:explorer):
// `lakefront_bench_api` on the PostgreSQL in DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// the bundled real sample, enriched, cloned in SQL with new ids and dates spread over 2001-2025.
// A loaded database is reused; one holding another row count is refused unless `reload`.
// Callers hold `flock /work/wt/bench.lock` (see README, Benchmarks): loading takes both cores.
import knexFactory from 'knex';
import { aggregateModel } from '../core/aggregate/model.js';
import { communityAreas } from '../core/datasets/community-areas.js';
import { crimes } from '../core/datasets/crimes.js';
import { zipCodes } from '../core/datasets/zip-codes.js';
import { connect, type Database } from '../core/db/connect.js';
import { migrateLatest } from '../core/db/migrate.js';
import { silentLogger } from '../core/log.js';
import { refreshRollups } from '../core/reports/rollups.js';
import { recomputeEnrichment } from '../ingest/enrich/recompute.js';
import { loadSample } from '../ingest/load-sample.js';

/**
 * The shared database; LAKEFRONT_BENCH_DATABASE names another, e.g. for a quick trial of a
 * benchmark with `--rows 100000` that leaves the shared 8M one alone.
 */
export const BENCH_DATABASE = process.env.LAKEFRONT_BENCH_DATABASE ?? 'lakefront_bench_api';
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The URL of the benchmark database on the server in DATABASE_URL. */
export const benchDatabaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${BENCH_DATABASE}` }).toString();
/** The days from 2001-01-01 to 2025-12-31; cloned rows are spread evenly over them. */
export const DAYS_2001_2025 = 9131;
const CHUNK = 500_000;

export const log = (message: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

async function ensureDatabase(reload: boolean): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  try {
    const exists = (await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [BENCH_DATABASE])).rows.length > 0;
    if (exists && reload) await admin.raw(`DROP DATABASE ${BENCH_DATABASE} WITH (FORCE)`);
    if (!exists || reload) await admin.raw(`CREATE DATABASE ${BENCH_DATABASE}`);
  } finally {
    await admin.destroy();
  }
}

/** Clones the enriched sample in SQL: new ids, the same time of day on a day spread evenly over 2001-2025. */
async function load(db: Database, rows: number): Promise<void> {
  const { knex } = db;
  for (const dataset of [zipCodes, communityAreas, crimes]) await loadSample(knex, dataset, silentLogger);
  await recomputeEnrichment(db, [crimes]);
  const sampleSize = Number((await knex('data.crimes').count({ n: '*' }))[0]!.n);
  await knex.raw('DROP TABLE IF EXISTS bench_sample');
  await knex.raw('CREATE UNLOGGED TABLE bench_sample AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, * FROM data.crimes');
  const indexes = (await knex.raw(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'data' AND tablename = 'crimes' AND indexname NOT LIKE '%pkey'`)).rows as { indexname: string; indexdef: string }[];
  for (const index of indexes) await knex.raw(`DROP INDEX data.${index.indexname}`);
  const columns = ((await knex.raw(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'data' AND table_name = 'crimes' ORDER BY ordinal_position`)).rows as { column_name: string }[]).map((row) => row.column_name);
  const computed: Record<string, string> = {
    id: '1000000000 + g',
    date: `(date '2001-01-01' + ((g * 7919::bigint) % ${DAYS_2001_2025})::int) + s.date::time`,
    year: `extract(year FROM date '2001-01-01' + ((g * 7919::bigint) % ${DAYS_2001_2025})::int)::int`,
    _row_id: `'bench-' || g`,
  };
  const select = columns.map((column) => computed[column] ?? `s.${column}`).join(', ');
  for (let start = 0; start < rows - sampleSize; start += CHUNK) {
    const end = Math.min(start + CHUNK, rows - sampleSize) - 1;
    const began = Date.now();
    await knex.raw(`INSERT INTO data.crimes (${columns.join(', ')}) SELECT ${select} FROM generate_series(${start}, ${end}) g JOIN bench_sample s ON s.n = g % ${sampleSize}`);
    log(`loaded ${(sampleSize + end + 1).toLocaleString('en-US')} rows (${Math.round(((end - start + 1) / (Date.now() - began)) * 1000).toLocaleString('en-US')} rows/s)`);
  }
  for (const index of indexes) {
    const began = Date.now();
    await knex.raw(index.indexdef);
    log(`index ${index.indexname} built in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  }
  await knex.raw('DROP TABLE bench_sample');
  await knex('lakefront.sync_state').where({ dataset: 'crimes' }).update({ rows_total: rows, last_success_at: new Date().toISOString() });
  await knex.raw('VACUUM ANALYZE data.crimes');
}

/**
 * Makes sure `lakefront_bench_api` holds `rows` crimes, migrated, with current rollups: loads them
 * into an empty (or, with `reload`, a recreated) database, and refreshes the rollups after a load,
 * with `refresh`, or when a write is waiting to be rolled up. Returns the database's URL.
 */
export async function prepareBenchCrimes(options: { rows: number; reload?: boolean; refresh?: boolean }): Promise<string> {
  const { rows } = options;
  await ensureDatabase(options.reload ?? false);
  const db = await connect({ databaseUrl: benchDatabaseUrl, poolMax: 2 });
  try {
    await migrateLatest(db.knex);
    const present = Number((await db.knex('data.crimes').count({ n: '*' }))[0]!.n);
    if (present !== rows) {
      if (present > 0) throw new Error(`${BENCH_DATABASE} holds ${present} crimes, not ${rows}: rerun with --reload`);
      const began = Date.now();
      await load(db, rows);
      log(`loaded ${rows.toLocaleString('en-US')} crimes in ${((Date.now() - began) / 1000).toFixed(0)} s`);
    }
    // A migration that adds a rollup marks every day dirty, and a dimension new to the code is rolled
    // up by the next refresh: a database loaded before either needs the refresh.
    const dirty = (await db.knex.raw(`SELECT 1 FROM data.aggregate_dirty WHERE dataset = 'crimes' LIMIT 1`)).rows.length > 0;
    const tracked = (await db.knex('data.aggregate_tracked').where({ dataset: 'crimes' }).first('dims')) as { dims: string[] | null } | undefined;
    const behind = dirty || tracked?.dims?.join(',') !== aggregateModel(crimes).dims.map((dim) => dim.name).join(',');
    if (present !== rows || options.refresh || behind) {
      // The first fill is plain; a later one CONCURRENTLY, as after a sync.
      const refreshed = await refreshRollups(db, ['crimes'], { concurrently: present === rows });
      log(`rollups refreshed: ${refreshed.map((item) => `${item.view} ${(item.ms / 1000).toFixed(1)} s`).join(', ')}`);
      await db.knex.raw('ANALYZE');
    }
    // As autovacuum leaves the rollups between syncs: a rebuild leaves every old row dead, which
    // reads step over until a vacuum, and a vacuum marks pages all-visible for index-only scans.
    await db.knex.raw('VACUUM ANALYZE data.aggregate_rollups');
  } finally {
    await db.close();
  }
  return benchDatabaseUrl;
}
