// Benchmark of the read API at scale (not a test; never run by `npm test`).
//   npm run bench:api -- [--rows 8000000] [--duration 20] [--warmup 10] [--rounds 4] [--connections 32] [--reload] [--refresh] [--export]
// Loads `--rows` crimes (the bundled real sample cloned with new ids, dates spread over
// 2001-2025) into the shared database `lakefront_bench_api` (bench/crimes-database.ts) on the
// PostgreSQL in DATABASE_URL, refreshes the report rollups, then runs
// autocannon against the API and, for the list query, against a bare node:http + pg handler in
// the same run. A loaded database is reused unless --reload; its rollups are refreshed after a
// load or with --refresh.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { connect } from '../core/db/connect.js';
import { encodeCursor } from '../server/src/cursor.js';
import { startTarget as startBenchTarget } from './api-target.js';
import { log, prepareBenchCrimes } from './crimes-database.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '8000000' },
    duration: { type: 'string', default: '20' },
    /** Seconds of load before each measured run, so that V8 has optimized the server's hot code. */
    warmup: { type: 'string', default: '10' },
    /** Alternating API/bare rounds that share the list's measured duration. */
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '32' },
    reload: { type: 'boolean', default: false },
    refresh: { type: 'boolean', default: false },
    /** Also stream every row as CSV and record the server's peak memory. */
    export: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const ROUNDS = Math.max(1, Math.round(Number(args.rounds)));
const CONNECTIONS = Number(args.connections);
const startTarget = (kind: 'api' | 'bare') => startBenchTarget(kind, benchUrl);

interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(name: string, url: string, duration = DURATION, warmup = WARMUP): Promise<Measured> {
  // The warm-up fills caches and pools and lets V8 finish optimizing: the API has far more code to
  // compile than the bare handler, and a 2 s warm-up left its first measured seconds slower
  // (p99 76-82 ms against 60-61 ms after 15 s, same machine, same code).
  if (warmup > 0) await autocannon({ url, connections: CONNECTIONS, duration: warmup });
  const result = await autocannon({ url, connections: CONNECTIONS, duration });
  const measured = { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
  log(`${name}: ${measured.rps.toFixed(0)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms${measured.errors ? `, ${measured.errors} errors/non-2xx` : ''}`);
  return measured;
}

const benchUrl = await prepareBenchCrimes({ rows: ROWS, reload: args.reload, refresh: args.refresh });
const db = await connect({ databaseUrl: benchUrl, poolMax: 2 });

// A real deep cursor: the row 70% of the way down the default order (what a client paging that far holds).
const deep = (await db.knex.raw(`SELECT date, id FROM api.crimes ORDER BY date DESC NULLS LAST, id DESC OFFSET ${Math.floor(ROWS * 0.7)} LIMIT 1`)).rows[0] as { date: string; id: number };
const busiestZip = (await db.knex.raw(`SELECT zip FROM api.crimes_zip_day GROUP BY zip ORDER BY sum(count) DESC LIMIT 1`)).rows[0].zip as string;
await db.close();

const listQuery = '/v1/crimes?primary_type=THEFT&from=2019-01-01&to=2019-02-01&limit=100';
const targets: [string, string][] = [
  ['list (filtered page)', listQuery],
  ['list (deep cursor)', `/v1/crimes?limit=100&cursor=${encodeCursor('crimes:-date', [deep.date, deep.id])}`],
  ['report by-zip (one year)', '/v1/reports/crimes/by-zip?from=2019-01-01&to=2020-01-01'],
  ['report trends (one ZIP, monthly)', `/v1/reports/crimes/trends?zip=${busiestZip}&interval=month`],
];

/** Streams the whole table as CSV from the API, sampling the server's resident memory meanwhile. */
async function measureExport(): Promise<{ rows: number; seconds: number; peakRssMb: number; startRssMb: number }> {
  const target = await startTarget('api');
  const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${target.child.pid}/status`, 'utf8'))![1]) / 1024;
  try {
    const startRssMb = rssMb();
    let peakRssMb = startRssMb;
    const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb())), 250);
    const began = Date.now();
    const response = await fetch(`${target.url}/v1/crimes?format=csv`);
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      for (const byte of chunk) if (byte === 10) lines += 1;
    }
    clearInterval(sampler);
    return { rows: lines - 1, seconds: (Date.now() - began) / 1000, peakRssMb, startRssMb };
  } finally {
    target.child.kill();
  }
}

/**
 * The API and the bare handler serve the same list query in alternating rounds (`ROUNDS` rounds
 * of DURATION / ROUNDS seconds, the order swapped every round), so that both see the same drift in
 * whatever else runs on the machine. Its speed was seen to change by a third within minutes, so the
 * ratio is the median of the rounds' ratios, each taken from two runs next to each other in time.
 */
async function measureAgainstBare(apiUrl: string, bareUrl: string): Promise<{ api: Measured; bare: Measured; ratios: number[] }> {
  const rounds: Measured[][] = [[], []];
  const targets = [
    { name: 'API list (filtered page)', url: apiUrl },
    { name: 'bare node:http + pg (same list query)', url: bareUrl },
  ];
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    // Each target's first run gets the full warm-up; later ones a second, to refill the pool.
    for (const index of order) rounds[index]!.push(await measure(targets[index]!.name, targets[index]!.url, DURATION / ROUNDS, round === 0 ? WARMUP : 1));
  }
  const ratios = rounds[0]!.map((run, round) => run.rps / rounds[1]![round]!.rps);
  const combine = (runs: Measured[]): Measured => ({
    name: runs[0]!.name,
    rps: runs.reduce((sum, run) => sum + run.rps, 0) / runs.length,
    p50: Math.max(...runs.map((run) => run.p50)),
    p99: Math.max(...runs.map((run) => run.p99)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  });
  return { api: combine(rounds[0]!), bare: combine(rounds[1]!), ratios };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const results: Measured[] = [];
let ratios: number[] = [];
const api = await startTarget('api');
const bare = await startTarget('bare');
try {
  const list = await measureAgainstBare(api.url + listQuery, bare.url + listQuery);
  ratios = list.ratios;
  results.push(list.api);
  for (const [name, path] of targets.slice(1)) results.push(await measure(`API ${name}`, api.url + path));
  results.push(list.bare);
  // The cost of the HTTP stack alone (routing, validation, headers, logging, metrics), for reading the ratio.
  results.push(await measure('API /healthz (no database, for reference)', `${api.url}/healthz`, DURATION / 2));
} finally {
  api.child.kill();
  bare.child.kill();
}

const exported = args.export ? await measureExport() : undefined;
if (exported) log(`CSV export: ${exported.rows} rows in ${exported.seconds.toFixed(0)} s, server RSS ${exported.startRssMb.toFixed(0)} MB before, peak ${exported.peakRssMb.toFixed(0)} MB`);

process.stdout.write(`\n${ROWS.toLocaleString('en-US')} crimes, ${CONNECTIONS} connections x ${DURATION} s each after a ${WARMUP} s warm-up\n\n`);
process.stdout.write('| target | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n');
for (const row of results) process.stdout.write(`| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50} | ${row.p99} |\n`);
const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
process.stdout.write(`\nAPI / bare (filtered list): ${percent(median(ratios))}, the median of ${ROUNDS} rounds (${ratios.map(percent).join(', ')}) (target >= 70%)\n`);
const listP99 = Math.max(results[0]!.p99, results[1]!.p99);
const reportP99 = Math.max(results[2]!.p99, results[3]!.p99);
process.stdout.write(`list p99 ${listP99} ms (target < 50), report p99 ${reportP99} ms (target < 100)\n`);
if (exported) {
  process.stdout.write(
    `full CSV export: ${exported.rows.toLocaleString('en-US')} rows in ${exported.seconds.toFixed(0)} s ` +
      `(${Math.round(exported.rows / exported.seconds).toLocaleString('en-US')} rows/s), server RSS peak ${exported.peakRssMb.toFixed(0)} MB (${exported.startRssMb.toFixed(0)} MB idle)\n`,
  );
}
