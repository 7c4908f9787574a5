/**
 * Ingest benchmark: `npm run bench:ingest -- --rows 1000000 [--increment 250000] [--small 100000] [--page-size 2500]`.
 * Serves N real crimes rows (the bundled sample cloned with new ids) from the project's SODA test
 * server, and in one run, on real PostgreSQL:
 *
 * - a first sync of the N rows into the empty data.crimes (load, then index), against `psql \copy`
 *   of the same rows as CSV into a plain table with the primary key only (the issue's baseline);
 * - an incremental sync of `--increment` more rows into the table now holding N, against `\copy`
 *   of the same rows into a same-schema table (`LIKE data.crimes INCLUDING ALL`) holding the N;
 * - `\copy` of the N rows into the empty same-schema table, for reference.
 *
 * Prints both ratios, each sync's peak RSS, and its time split (fetch, parse, write, index), at a
 * smaller N too, to show memory does not grow with N.
 * PostgreSQL: $DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; the benchmark works
 * in a database of its own, lakefront_bench_ingest.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import knexFactory from 'knex';
import { crimes } from '../core/datasets/crimes.js';
import { connect } from '../core/db/connect.js';
import { migrateLatest } from '../core/db/migrate.js';
import { columnNames, mapSodaRow, type DbValue } from '../ingest/soda-values.js';
import type { SyncPhases } from '../ingest/sync/summary.js';
import { DEFAULT_PAGE_SIZE } from '../ingest/sync/sync-source.js';
import { clonedCrime, CRIMES_PORTAL_ID } from './cloned-crimes.js';
import { processCpu } from './process-cpu.js';

const args = parseArgs(process.argv.slice(2));
const ROWS = args.rows ?? 1_000_000;
const SMALL = args.small ?? Math.min(100_000, Math.floor(ROWS / 10));
/** Rows added at the portal for the incremental sync (a multiple of 100: the clones' `:updated_at` groups). */
const incrementOf = (rows: number) => Math.max(100, Math.round((args.increment ?? rows / 4) / 100) * 100);
const PAGE_SIZE = args['page-size'] ?? DEFAULT_PAGE_SIZE;
/** V8 heap cap for the ingest process, as a CronJob sets it (NODE_OPTIONS); 0 = V8's default. */
const HEAP_MB = args['heap-mb'] ?? 160;
const SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'lakefront_bench_ingest';
const benchUrl = (() => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${BENCH_DB}`;
  return url.toString();
})();
const COLUMNS = columnNames(crimes);

interface SyncRun {
  status: string;
  error?: string;
  rows: number;
  seconds: number;
  afterSyncSeconds: number;
  /** CPU of the ingest process (both threads) during the sync, rollups not included. */
  cpuSeconds: number;
  /** CPU of the portal process while it served the sync. */
  portalCpuSeconds: number;
  /** CPU of every PostgreSQL process on this machine during the sync, rollups not included (other sessions' included). */
  postgresCpuSeconds: number;
  peakRss: number;
  phases: SyncPhases;
}

interface Result {
  rows: number;
  increment: number;
  first: SyncRun;
  incremental: SyncRun;
  /** `\copy` of the N rows into a plain table with the primary key only. */
  plainCopySeconds: number;
  /** `\copy` of the N rows into the empty same-schema table. */
  sameCopySeconds: number;
  /** `\copy` of the increment into the same-schema table holding the N. */
  incrementCopySeconds: number;
  load: string;
}

const results: Result[] = [];
for (const rows of SMALL > 0 ? [SMALL, ROWS] : [ROWS]) {
  results.push(await measure(rows));
  report();
}

/** Printed after each size, so a run cut short still says what it measured. */
function report(): void {
  console.log(`\nIngest vs psql \\copy (page size ${PAGE_SIZE.toLocaleString('en-US')}, ingest heap cap ${HEAP_MB ? `${HEAP_MB} MB` : 'none'}, PostgreSQL at ${new URL(SERVER_URL).host})`);
  console.log(table(results));
  console.log('\nTime split of each sync, seconds (fetch, parse and write overlap; index follows the load; CPU: of the ingest process, both threads; of the portal; of every PostgreSQL process, other sessions included; the rollups after not included):');
  console.log(phaseTable(results));
}

async function measure(rows: number): Promise<Result> {
  const increment = incrementOf(rows);
  console.log(`\n${rows.toLocaleString('en-US')} rows (+${increment.toLocaleString('en-US')}): preparing a fresh ${BENCH_DB}`);
  await recreateDatabase();
  const db = await connect({ databaseUrl: benchUrl });
  await migrateLatest(db.knex);
  await db.knex.raw('CREATE TABLE data.crimes_plain (LIKE data.crimes)');
  await db.knex.raw('ALTER TABLE data.crimes_plain ADD PRIMARY KEY (id)');
  await db.knex.raw('CREATE TABLE data.crimes_copy (LIKE data.crimes INCLUDING ALL)');
  await db.close();
  const loadBefore = loadavg()[0]!;

  let portal = await startPortal(rows);
  let first: SyncRun;
  try {
    console.log('  first sync: lakefront sync into the empty table (load, then index)');
    first = await runSync(portal);
  } finally {
    portal.stop();
  }
  portal = await startPortal(rows + increment);
  let incremental: SyncRun;
  try {
    console.log(`  incremental sync: ${increment.toLocaleString('en-US')} new rows into the table holding ${rows.toLocaleString('en-US')}`);
    incremental = await runSync(portal);
  } finally {
    portal.stop();
  }
  if (first.status !== 'synced' || first.rows !== rows) throw new Error(`first sync did not complete: ${JSON.stringify(first)}`);
  if (incremental.status !== 'synced' || incremental.rows !== increment) throw new Error(`incremental sync did not complete: ${JSON.stringify(incremental)}`);

  const directory = mkdtempSync(path.join(tmpdir(), 'lakefront-bench-'));
  const all = path.join(directory, 'crimes.csv');
  const added = path.join(directory, 'added.csv');
  try {
    await writeCsv(all, 0, rows);
    await writeCsv(added, rows, rows + increment);
    console.log('  baselines: psql \\copy of the same rows as CSV');
    const plainCopySeconds = await copy('data.crimes_plain', all);
    const sameCopySeconds = await copy('data.crimes_copy', all);
    const incrementCopySeconds = await copy('data.crimes_copy', added);
    await verifyCounts(rows, increment);
    const load = `${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`;
    return { rows, increment, first, incremental, plainCopySeconds, sameCopySeconds, incrementCopySeconds, load };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function runSync(portal: Portal): Promise<SyncRun> {
  const heap = HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : [];
  const portalCpu = portal.cpuSeconds();
  const run = JSON.parse(await runTsx([...heap, 'bench/ingest-worker.ts', portal.url, benchUrl, String(PAGE_SIZE)])) as Omit<SyncRun, 'portalCpuSeconds'>;
  return { ...run, portalCpuSeconds: portal.cpuSeconds() - portalCpu };
}


async function copy(table: string, csv: string): Promise<number> {
  const started = performance.now();
  await promisify(execFile)('psql', [benchUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy ${table} (${COLUMNS.join(', ')}) FROM '${csv}' WITH (FORMAT csv)`]);
  return (performance.now() - started) / 1000;
}

async function recreateDatabase(): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: SERVER_URL, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.raw(`CREATE DATABASE ${BENCH_DB}`);
  } finally {
    await admin.destroy();
  }
}

async function verifyCounts(rows: number, increment: number): Promise<void> {
  const db = await connect({ databaseUrl: benchUrl });
  try {
    const result = await db.knex.raw(
      'SELECT (SELECT count(*) FROM data.crimes)::int AS synced, (SELECT count(*) FROM data.crimes_plain)::int AS plain, (SELECT count(*) FROM data.crimes_copy)::int AS copied',
    );
    const counts = result.rows[0] as { synced: number; plain: number; copied: number };
    if (counts.synced !== rows + increment || counts.plain !== rows || counts.copied !== rows + increment) {
      throw new Error(`row counts differ: ${JSON.stringify(counts)}, expected ${rows} + ${increment}`);
    }
  } finally {
    await db.close();
  }
}

interface Portal {
  readonly url: string;
  stop(): void;
  /** The portal process's CPU so far (user + system, from /proc; NaN where there is none). */
  cpuSeconds(): number;
}

async function startPortal(rows: number): Promise<Portal> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/soda-bench-server.ts', String(rows)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [url] = (await once(lines, 'line')) as [string];
  return { url, stop: () => child.kill('SIGTERM'), cpuSeconds: () => processCpu(child.pid!) };
}

async function runTsx(argv: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [...argv.filter((arg) => arg.startsWith('--')), '--import', 'tsx', ...argv.filter((arg) => !arg.startsWith('--'))], { maxBuffer: 1 << 20 });
  return stdout.trim().split('\n').at(-1)!;
}

/** Rows [from, to) mapped the way the ingest maps them, as CSV (strings quoted, NULL unquoted empty). */
async function writeCsv(file: string, from: number, to: number): Promise<void> {
  const out = createWriteStream(file);
  let chunk = '';
  for (let index = from; index < to; index += 1) {
    const { values } = mapSodaRow(crimes, clonedCrime(index), CRIMES_PORTAL_ID);
    chunk += `${COLUMNS.map((column) => csvValue(values[column] ?? null)).join(',')}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

function csvValue(value: DbValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return `"${value.replaceAll('"', '""')}"`;
  return String(value);
}

function table(results: Result[]): string {
  const rate = (rows: number, seconds: number) => Math.round(rows / seconds).toLocaleString('en-US');
  const ratio = (mine: number, baseline: number) => (baseline / mine).toFixed(2);
  const header = [
    'rows',
    'first sync rows/s',
    'plain PK-only \\copy rows/s',
    '**first / plain**',
    'same-schema \\copy rows/s',
    'first / same-schema',
    '+rows',
    'incremental rows/s',
    'same-schema \\copy of them rows/s',
    '**incremental / same-schema**',
    'peak RSS (first, incr.)',
    'then rollups s',
    'load avg',
  ];
  const lines = results.map((result) => [
    result.rows.toLocaleString('en-US'),
    rate(result.rows, syncSeconds(result.first)),
    rate(result.rows, result.plainCopySeconds),
    ratio(syncSeconds(result.first), result.plainCopySeconds),
    rate(result.rows, result.sameCopySeconds),
    ratio(syncSeconds(result.first), result.sameCopySeconds),
    result.increment.toLocaleString('en-US'),
    rate(result.increment, syncSeconds(result.incremental)),
    rate(result.increment, result.incrementCopySeconds),
    ratio(syncSeconds(result.incremental), result.incrementCopySeconds),
    `${mb(result.first.peakRss)}, ${mb(result.incremental.peakRss)} MB`,
    result.first.afterSyncSeconds.toFixed(1),
    result.load,
  ]);
  return markdown(header, lines);
}

function phaseTable(results: Result[]): string {
  const header = ['rows', 'sync', 'end to end', 'fetch', 'parse', 'write', 'index', 'ingest CPU', 'portal CPU', 'PostgreSQL CPU'];
  const lines = results.flatMap((result) =>
    (['first', 'incremental'] as const).map((which) => {
      const run = result[which];
      const s = (ms: number) => (ms / 1000).toFixed(1);
      return [
        result.rows.toLocaleString('en-US'),
        which,
        syncSeconds(run).toFixed(1),
        s(run.phases.fetchMs),
        s(run.phases.parseMs),
        s(run.phases.writeMs),
        s(run.phases.indexMs),
        run.cpuSeconds.toFixed(1),
        run.portalCpuSeconds.toFixed(1),
        run.postgresCpuSeconds.toFixed(1),
      ];
    }),
  );
  return markdown(header, lines);
}

/** The sync end to end, index builds included; the report rollups refreshed after it are another feature's work and timed apart. */
function syncSeconds(run: SyncRun): number {
  return run.seconds - run.afterSyncSeconds;
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

function markdown(header: string[], lines: string[][]): string {
  const widths = header.map((cell, index) => Math.max(cell.length, ...lines.map((line) => line[index]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
  return [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

function parseArgs(argv: string[]): Record<string, number> {
  const parsed: Record<string, number> = {};
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index]!.replace(/^--/, '');
    const value = Number(argv[index + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number, got "${argv[index + 1]}"`);
    parsed[name] = value;
  }
  return parsed;
}
