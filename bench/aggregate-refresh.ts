// The rollup refresh after real incremental syncs, for bench/aggregate.ts: the project's SODA test
// portal (testing/soda-server.ts) serves N rows of the benchmark database corrected (`arrest`
// flipped, a new `updated_on`, as the portal's nightly loads carry corrections), or N new rows,
// `lakefront sync`'s engine reads them incrementally and upserts them, and the refresh that runs
// after each sync brings the aggregate rollups up to date. Timed against rebuilding the rollups
// from the whole table. The new rows are deleted again (as a full sync's sweep would), so the
// database keeps its row count for the other benchmarks.
import { readFileSync } from 'node:fs';
import { refreshAggregates } from '../core/aggregate/rollups.js';
import { crimes } from '../core/datasets/crimes.js';
import { connect, type Database } from '../core/db/connect.js';
import { createLogger } from '../core/log.js';
import { refreshRollups } from '../core/reports/rollups.js';
import { createSyncHooks } from '../ingest/sync/hooks.js';
import { syncDataset } from '../ingest/sync/sync-dataset.js';
import { startSodaServer } from '../testing/soda-server.js';
import { SodaStore } from '../testing/soda-store.js';
import type { Row } from '../testing/soql.js';
import { CRIMES_PORTAL_ID } from './cloned-crimes.js';
import { serveFixtureTypes } from './crimes-types.js';
import { log } from './crimes-database.js';

export interface RefreshRun {
  readonly name: string;
  readonly rows: number;
  /** Days the writes marked for recomputing from the table (inserts do). */
  readonly days: number;
  /** Changes the writes recorded (updates and deletes do): per day, column and value. */
  readonly changes: number;
  readonly syncMs: number;
  readonly refreshMs: number;
}

export interface RefreshResult {
  readonly runs: RefreshRun[];
  readonly wholeMs: number;
  readonly wholeDays: number;
  /** The rest of the after-sync hook: the reports' materialized views. */
  readonly reportsMs: number;
}

/** The bundled sample in the order the loader numbered it (by id): cloned row `g` copies sample row `g % size`. */
const SAMPLE = (JSON.parse(readFileSync(new URL('../core/datasets/samples/ijzp-q8t2.json', import.meta.url), 'utf8')) as Row[]).sort(
  (a, b) => Number(a.id) - Number(b.id),
);
const CLONE_BASE = 1_000_000_000;
/** Ids of the rows the insert scenario adds (and deletes again). */
const NEW_BASE = 3_000_000_000;

interface Stored {
  id: number;
  date: string;
  year: number;
  rowId: string;
  caseNumber: string;
  arrest: boolean;
}

/**
 * The rows of a scenario: the newest `count` cloned rows (what a nightly sync corrects), or
 * `count` drawn from a sample of the whole table, so each falls on its own day more often than not.
 */
async function chooseRows(db: Database, kind: 'recent' | 'spread', count: number, tableRows: number): Promise<Stored[]> {
  const columns = `id, to_char(date, 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS date, year, _row_id AS "rowId", case_number AS "caseNumber", arrest`;
  const percent = Math.min(100, ((count * 4) / tableRows) * 100).toFixed(3);
  const sql =
    kind === 'recent'
      ? `SELECT ${columns} FROM data.crimes WHERE id >= ${CLONE_BASE} ORDER BY date DESC NULLS LAST, id DESC LIMIT ${count}`
      : `SELECT ${columns} FROM data.crimes TABLESAMPLE SYSTEM (${percent}) WHERE id >= ${CLONE_BASE} ORDER BY random() LIMIT ${count}`;
  return (await db.knex.raw(sql)).rows;
}

/**
 * A portal row for a stored cloned row: its sample row with the clone's id, time and row id, a
 * new updated_on and `arrest` flipped (so the row moves between groups); or, as `added`, the
 * same with a new id, as a new crime on that day.
 */
function portalRow(stored: Stored, sampleSize: number, stamp: string, added?: number): Row {
  const base = SAMPLE[(Number(stored.id) - CLONE_BASE) % sampleSize]!;
  if (base.case_number !== stored.caseNumber) throw new Error(`row ${stored.id}: sample row ${base.id} has case ${String(base.case_number)}, the table ${stored.caseNumber}`);
  return {
    ...base,
    id: String(added === undefined ? stored.id : NEW_BASE + added),
    date: stored.date,
    year: String(stored.year),
    updated_on: stamp.slice(0, 23),
    arrest: added === undefined ? !stored.arrest : stored.arrest,
    ':id': added === undefined ? stored.rowId : `bench-new-${added}`,
    ':created_at': stamp,
    ':updated_at': stamp,
  };
}

type Scenario = 'newest' | 'spread' | 'added';

async function syncChanged(db: Database, name: string, kind: Scenario, count: number, sampleSize: number, tableRows: number): Promise<RefreshRun> {
  const stamp = new Date().toISOString();
  const stored = await chooseRows(db, kind === 'spread' ? 'spread' : 'recent', count, tableRows);
  const rows = stored.map((row, index) => portalRow(row, sampleSize, stamp, kind === 'added' ? index : undefined));
  if (rows.length !== count) throw new Error(`${name}: found ${rows.length} rows, not ${count}`);
  const store = new SodaStore();
  store.define(CRIMES_PORTAL_ID, serveFixtureTypes, rows);
  const portal = await startSodaServer({ store });
  try {
    const hooks = await createSyncHooks(db);
    const began = performance.now();
    // The sync's own work (fetch, map, enrich, upsert); its after-sync hook is timed below, in parts.
    const summary = await syncDataset(db, crimes, { socrata: { baseUrl: portal.url }, log: createLogger({ level: 'warn' }), pageSize: 10_000, hooks: hooks.enricher ? { enricher: hooks.enricher } : {} });
    const syncMs = performance.now() - began;
    if (summary.status !== 'synced' || summary.sources[0]?.rowsRead !== count) throw new Error(`${name}: sync ${JSON.stringify(summary)}`);
    return await timedRefresh(db, name, count, syncMs);
  } finally {
    await portal.close();
  }
}

/** The aggregate part of the after-sync refresh, timed, with what the writes left it to do. */
async function timedRefresh(db: Database, name: string, rows: number, syncMs: number): Promise<RefreshRun> {
  const days = Number((await db.knex.raw(`SELECT count(*) AS n FROM data.aggregate_dirty WHERE dataset = 'crimes'`)).rows[0].n);
  const changes = Number((await db.knex.raw(`SELECT count(*) AS n FROM data.aggregate_changes WHERE dataset = 'crimes'`)).rows[0].n);
  const began = performance.now();
  await refreshAggregates(db, ['crimes']);
  const refreshMs = performance.now() - began;
  log(`${name}: ${rows} rows written in ${(syncMs / 1000).toFixed(1)} s; refresh (${days} days to recompute, ${changes} changes) ${(refreshMs / 1000).toFixed(2)} s`);
  return { name, rows, days, changes, syncMs, refreshMs };
}

export async function measureRefresh(databaseUrl: string, tableRows: number): Promise<RefreshResult> {
  const db = await connect({ databaseUrl, poolMax: 4 });
  try {
    const sampleSize = Number((await db.knex.raw(`SELECT count(*) AS n FROM data.crimes WHERE id < ${CLONE_BASE}`)).rows[0].n);
    // Current before the first write, and the triggers told which columns to record (a refresh does that).
    await refreshAggregates(db, ['crimes']);
    const runs: RefreshRun[] = [];
    const scenarios: [Scenario, number, string][] = [
      ['newest', 1_000, 'sync of 1,000 corrected rows, the newest'],
      ['newest', 10_000, 'sync of 10,000 corrected rows, the newest'],
      ['spread', 1_000, 'sync of 1,000 corrected rows spread over 2001-2025'],
      ['spread', 10_000, 'sync of 10,000 corrected rows spread over 2001-2025'],
      ['added', 1_000, 'sync of 1,000 new rows on the newest days'],
    ];
    for (const [kind, count, name] of scenarios) runs.push(await syncChanged(db, name, kind, count, sampleSize, tableRows));
    // The new rows go again, as a full sync's sweep deletes rows the portal no longer has.
    const deleteBegan = performance.now();
    const deleted = await db.knex('data.crimes').where('id', '>=', NEW_BASE).delete();
    runs.push(await timedRefresh(db, `delete of those ${deleted.toLocaleString('en-US')} rows`, deleted, performance.now() - deleteBegan));
    // The rest of the after-sync hook, now that the aggregate rollups are current.
    const reportsBegan = performance.now();
    await refreshRollups(db, ['crimes']);
    const reportsMs = performance.now() - reportsBegan;
    // The baseline: every day marked, so the refresh rebuilds the rollups from the whole table.
    await db.knex.raw(`INSERT INTO data.aggregate_dirty (dataset, day) SELECT DISTINCT 'crimes', date::date FROM data.crimes ON CONFLICT DO NOTHING`);
    const wholeDays = Number((await db.knex.raw(`SELECT count(*) AS n FROM data.aggregate_dirty WHERE dataset = 'crimes'`)).rows[0].n);
    const wholeBegan = performance.now();
    await refreshAggregates(db, ['crimes']);
    const wholeMs = performance.now() - wholeBegan;
    log(`whole rebuild of the rollups from ${tableRows.toLocaleString('en-US')} rows: ${(wholeMs / 1000).toFixed(1)} s`);
    return { runs, wholeMs, wholeDays, reportsMs };
  } finally {
    await db.close();
  }
}
