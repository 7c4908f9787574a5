/**
 * Ingest benchmark: `npm run bench:ingest -- --rows 1000000 [--small 100000] [--page-size 50000]`.
 * Serves N real crimes rows (the bundled sample cloned with new ids) from the project's SODA test
 * server, syncs them into real PostgreSQL, and in the same run loads the same rows as CSV with
 * `psql \copy` into an identical table. Prints both rates, their ratio and the ingest's peak RSS,
 * at a smaller N too, to show memory does not grow with N.
 * PostgreSQL: $DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; the benchmark works
 * in a database of its own, lakefront_bench_ingest.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import knexFactory from 'knex';
import { crimes } from '../core/datasets/crimes.js';
import { connect } from '../core/db/connect.js';
import { migrateLatest } from '../core/db/migrate.js';
import { columnNames, mapSodaRow, type DbValue } from '../ingest/soda-values.js';
import { clonedCrimes, CRIMES_PORTAL_ID } from './cloned-crimes.js';

const args = parseArgs(process.argv.slice(2));
const ROWS = args.rows ?? 1_000_000;
const SMALL = args.small ?? Math.min(100_000, Math.floor(ROWS / 10));
const PAGE_SIZE = args['page-size'] ?? 10_000;
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

interface Result {
  rows: number;
  /** The sync itself: fetch, map, enrich, stage, upsert, checkpoint. */
  ingestSeconds: number;
  /** The after-sync hooks (report rollup refresh), reported apart. */
  afterSyncSeconds: number;
  copySeconds: number;
  peakRss: number;
}

const results: Result[] = [];
for (const rows of SMALL > 0 ? [SMALL, ROWS] : [ROWS]) results.push(await measure(rows));

console.log(`\nIngest vs psql \\copy (page size ${PAGE_SIZE.toLocaleString('en-US')}, ingest heap cap ${HEAP_MB ? `${HEAP_MB} MB` : 'none'}, PostgreSQL at ${new URL(SERVER_URL).host})`);
console.log(table(results));

async function measure(rows: number): Promise<Result> {
  console.log(`\n${rows.toLocaleString('en-US')} rows: preparing a fresh ${BENCH_DB}`);
  await recreateDatabase();
  const db = await connect({ databaseUrl: benchUrl });
  await migrateLatest(db.knex);
  await db.knex.raw('CREATE TABLE data.crimes_copy (LIKE data.crimes INCLUDING ALL)');
  await db.close();

  const portal = await startPortal(rows);
  let ingest: { status: string; error?: string; rows: number; seconds: number; afterSyncSeconds: number; peakRss: number };
  try {
    console.log('  ingest: lakefront sync (HTTP pages → map → COPY into staging → upsert → watermark)');
    const heap = HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : [];
    ingest = JSON.parse(await runTsx([...heap, 'bench/ingest-worker.ts', portal.url, benchUrl, String(PAGE_SIZE)])) as typeof ingest;
  } finally {
    portal.stop();
  }
  if (ingest.status !== 'synced' || ingest.rows !== rows) throw new Error(`ingest did not complete: ${JSON.stringify(ingest)}`);

  const directory = mkdtempSync(path.join(tmpdir(), 'lakefront-bench-'));
  const csv = path.join(directory, 'crimes.csv');
  try {
    await writeCsv(csv, rows);
    console.log('  baseline: psql \\copy of the same rows as CSV into an identical table');
    const started = performance.now();
    await promisify(execFile)('psql', [benchUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy data.crimes_copy (${COLUMNS.join(', ')}) FROM '${csv}' WITH (FORMAT csv)`]);
    const copySeconds = (performance.now() - started) / 1000;
    await verifyCounts(rows);
    return { rows, ingestSeconds: ingest.seconds - ingest.afterSyncSeconds, afterSyncSeconds: ingest.afterSyncSeconds, copySeconds, peakRss: ingest.peakRss };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
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

async function verifyCounts(rows: number): Promise<void> {
  const db = await connect({ databaseUrl: benchUrl });
  try {
    const result = await db.knex.raw('SELECT (SELECT count(*) FROM data.crimes)::int AS ingested, (SELECT count(*) FROM data.crimes_copy)::int AS copied');
    const { ingested, copied } = result.rows[0] as { ingested: number; copied: number };
    if (ingested !== rows || copied !== rows) throw new Error(`row counts differ: ingest ${ingested}, \\copy ${copied}, expected ${rows}`);
  } finally {
    await db.close();
  }
}

async function startPortal(rows: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/soda-bench-server.ts', String(rows)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [url] = (await once(lines, 'line')) as [string];
  return { url, stop: () => child.kill('SIGTERM') };
}

async function runTsx(argv: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [...argv.filter((arg) => arg.startsWith('--')), '--import', 'tsx', ...argv.filter((arg) => !arg.startsWith('--'))], { maxBuffer: 1 << 20 });
  return stdout.trim().split('\n').at(-1)!;
}

/** The same rows, mapped the way the ingest maps them, as CSV (strings quoted, NULL unquoted empty). */
async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  let chunk = '';
  for (const row of clonedCrimes(rows)) {
    const { values } = mapSodaRow(crimes, row, CRIMES_PORTAL_ID);
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

function table(rows: Result[]): string {
  const header = ['rows', 'ingest s', 'ingest rows/s', '\\copy s', '\\copy rows/s', 'ingest / \\copy', 'ingest peak RSS', 'then rollups s'];
  const lines = rows.map((result) => [
    result.rows.toLocaleString('en-US'),
    result.ingestSeconds.toFixed(1),
    Math.round(result.rows / result.ingestSeconds).toLocaleString('en-US'),
    result.copySeconds.toFixed(1),
    Math.round(result.rows / result.copySeconds).toLocaleString('en-US'),
    `${((result.copySeconds / result.ingestSeconds) * 100).toFixed(0)}%`,
    `${Math.round(result.peakRss / 1024 / 1024)} MB`,
    result.afterSyncSeconds.toFixed(1),
  ]);
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
