// Benchmark of `GET /v1/{key}/aggregate` at scale (not a test; never run by `npm test`).
//   flock /work/wt/bench.lock npm run bench:aggregate -- [--rows 8000000] [--samples 40] [--slow-samples 10] [--plain-samples 5] [--reload] [--no-refresh]
// On the shared 8M-crimes database of bench:api (bench/crimes-database.ts), for each shape: p50 and
// p99 through the real API (HTTP, production settings, one request at a time) and of the same
// question as a plain SQL GROUP BY on the raw table, in the same run, and their ratio. Then the cost
// of the rollup refresh after real incremental syncs (the project's SODA test portal serving 1,000
// and 10,000 changed rows), against rebuilding the rollups from the whole table; and what a query
// with no rollup does under statement_timeout.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connect } from '../core/db/connect.js';
import { DEFAULT_LIMITS } from '../server/src/limits.js';
import { log, prepareBenchCrimes } from './crimes-database.js';
import { measureRefresh, type RefreshResult } from './aggregate-refresh.js';
import { startTarget } from './api-target.js';
import { percentile } from './percentile.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '8000000' },
    /** Timed API requests per shape served from rollups, after 5 untimed ones. */
    samples: { type: 'string', default: '40' },
    /** Timed API requests per shape read from the table, after 5 untimed ones. */
    'slow-samples': { type: 'string', default: '10' },
    /** Timed plain GROUP BYs per shape (each reads the whole table), after one untimed. */
    'plain-samples': { type: 'string', default: '5' },
    reload: { type: 'boolean', default: false },
    /** Skip the refresh measurements (they write 23,000 rows through the sync). */
    'no-refresh': { type: 'boolean', default: false },
    /** Only the all-history shapes served from the rollups (then no timeout check or refresh either). */
    'rollups-only': { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const SAMPLES = Number(args.samples);
const SLOW_SAMPLES = Number(args['slow-samples']);
const PLAIN_SAMPLES = Number(args['plain-samples']);

interface Shape {
  readonly name: string;
  readonly query: string;
  /** The same question as plain SQL on the raw table, in the API's order and limit. */
  readonly sql: string;
  readonly target?: { p99Ms: number; fasterThanPlain?: number };
  /** Shapes read from the table take seconds each at 8M: fewer samples. */
  readonly slow?: boolean;
}

const YEAR = `date >= '2019-01-01' AND date < '2020-01-01'`;
const ALL_HISTORY_TARGET = { p99Ms: 300, fasterThanPlain: 10 };
const single = (column: string): Shape[] => [
  {
    name: `group_by=${column}, all history`,
    query: `group_by=${column}`,
    sql: `SELECT ${column}, count(*) AS count FROM data.crimes GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1001`,
    target: ALL_HISTORY_TARGET,
  },
  {
    name: `group_by=${column}&bucket=month, all history`,
    query: `group_by=${column}&bucket=month`,
    sql: `SELECT ${column}, date_trunc('month', date)::date AS period, count(*) AS count FROM data.crimes GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1001`,
    target: ALL_HISTORY_TARGET,
  },
];
const SHAPES: Shape[] = [
  ...single('primary_type'),
  ...single('geo_community_area'),
  ...single('district'),
  {
    name: 'bucket=month (total), all history',
    query: 'bucket=month',
    sql: `SELECT date_trunc('month', date)::date AS period, count(*) AS count FROM data.crimes GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1001`,
    target: ALL_HISTORY_TARGET,
  },
  {
    name: 'one year, primary_type=THEFT, group_by=geo_community_area,arrest',
    query: 'from=2019-01-01&to=2020-01-01&primary_type=THEFT&group_by=geo_community_area,arrest',
    sql: `SELECT geo_community_area, arrest, count(*) AS count FROM data.crimes WHERE ${YEAR} AND primary_type = 'THEFT' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1001`,
    target: { p99Ms: 1000 },
    slow: true,
  },
  {
    name: 'one year, district=011, group_by=primary_type,bucket=month',
    query: 'from=2019-01-01&to=2020-01-01&district=011&group_by=primary_type&bucket=month',
    sql: `SELECT primary_type, date_trunc('month', date)::date AS period, count(*) AS count FROM data.crimes WHERE ${YEAR} AND district = '011' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1001`,
    target: { p99Ms: 1000 },
    slow: true,
  },
  {
    name: 'two columns: group_by=primary_type,arrest, all history',
    query: 'group_by=primary_type,arrest',
    sql: `SELECT primary_type, arrest, count(*) AS count FROM data.crimes GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1001`,
    target: ALL_HISTORY_TARGET,
  },
  {
    name: 'bucket=hour, all history',
    query: 'bucket=hour',
    sql: `SELECT extract(hour FROM date)::int AS hour, count(*) AS count FROM data.crimes GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1001`,
    target: ALL_HISTORY_TARGET,
  },
  {
    name: 'primary_type=THEFT&bucket=hour, from 2014',
    query: 'primary_type=THEFT&bucket=hour&from=2014-01-01',
    sql: `SELECT extract(hour FROM date)::int AS hour, count(*) AS count FROM data.crimes WHERE primary_type = 'THEFT' AND date >= '2014-01-01' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1001`,
    target: ALL_HISTORY_TARGET,
  },
  {
    name: 'no rollup: group_by=primary_type,arrest,domestic, all history',
    query: 'group_by=primary_type,arrest,domestic',
    sql: `SELECT primary_type, arrest, domestic, count(*) AS count FROM data.crimes GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3 LIMIT 1001`,
    target: { p99Ms: DEFAULT_LIMITS.statementTimeoutMs },
    slow: true,
  },
  {
    name: 'no rollup: bucket=hour&avg=latitude, all history',
    query: 'bucket=hour&avg=latitude',
    sql: `SELECT extract(hour FROM date)::int AS hour, count(*) AS count, avg(latitude)::float8 AS avg_latitude FROM data.crimes GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1001`,
    target: { p99Ms: DEFAULT_LIMITS.statementTimeoutMs },
    slow: true,
  },
];

interface Timed {
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
}

const summarize = (samples: number[]): Timed => ({ p50: percentile(samples, 50), p99: percentile(samples, 99), n: samples.length });

/** One request at a time: latency, not throughput. Every answer must be a 200 with the plain query's counts. */
async function timeApi(url: string, expectedCounts: number[], count: number): Promise<Timed> {
  const samples: number[] = [];
  for (let index = 0; index < count + 5; index += 1) {
    const began = performance.now();
    const response = await fetch(url);
    const body = (await response.json()) as { data?: { count: number }[] };
    const ms = performance.now() - began;
    if (response.status !== 200 || !body.data) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
    const counts = body.data.map((row) => row.count);
    if (index === 0 && JSON.stringify(counts) !== JSON.stringify(expectedCounts.slice(0, counts.length))) {
      throw new Error(`${url}: counts differ from the plain GROUP BY`);
    }
    if (index >= 5) samples.push(ms);
  }
  return summarize(samples);
}

async function timePlain(pool: pg.Pool, sql: string): Promise<{ timed: Timed; counts: number[] }> {
  const samples: number[] = [];
  let counts: number[] = [];
  for (let index = 0; index < PLAIN_SAMPLES + 1; index += 1) {
    const began = performance.now();
    const { rows } = await pool.query<{ count: string }>(sql);
    const ms = performance.now() - began;
    counts = rows.map((row) => Number(row.count));
    if (index >= 1) samples.push(ms);
  }
  return { timed: summarize(samples), counts };
}

const benchUrl = await prepareBenchCrimes({ rows: ROWS, reload: args.reload });
const status = await connect({ databaseUrl: benchUrl, poolMax: 1 });
const current = (await status.knex('api.aggregate_status').where({ dataset: 'crimes' }).first('current')) as { current: boolean } | undefined;
await status.close();
if (!current?.current) throw new Error('the crimes rollups are behind the table: they would not answer');

// The plain queries run as the API's would, on a pool of their own, with no statement timeout.
const pool = new pg.Pool({ connectionString: benchUrl, max: 1 });
const results: { shape: Shape; api: Timed; plain: Timed }[] = [];
const api = await startTarget('api', benchUrl);
try {
  for (const shape of SHAPES.filter((item) => !args['rollups-only'] || item.target === ALL_HISTORY_TARGET)) {
    const plain = await timePlain(pool, shape.sql);
    const measured = await timeApi(`${api.url}/v1/crimes/aggregate?${shape.query}`, plain.counts, shape.slow ? SLOW_SAMPLES : SAMPLES);
    log(`${shape.name}: API p50 ${measured.p50.toFixed(0)} ms, p99 ${measured.p99.toFixed(0)} ms; plain GROUP BY p50 ${plain.timed.p50.toFixed(0)} ms, p99 ${plain.timed.p99.toFixed(0)} ms`);
    results.push({ shape, api: measured, plain: plain.timed });
  }
} finally {
  api.child.kill();
  await pool.end();
}

// A query with no rollup that outlives statement_timeout: nothing at 8M does under the production 15 s,
// so a second API process runs with a 0.5 s timeout to show what the user gets.
const shortTimeoutMs = 500;
const slow = SHAPES.find((shape) => shape.name.startsWith('no rollup: group_by'))!;
let cancelled: { status: number; ms: number; detail: string; contentType: string } | undefined;
if (!args['rollups-only']) {
  const limited = await startTarget('api', benchUrl, shortTimeoutMs);
  try {
    const began = performance.now();
    const response = await fetch(`${limited.url}/v1/crimes/aggregate?${slow.query}`);
    const body = (await response.json()) as { detail?: string };
    cancelled = { status: response.status, ms: performance.now() - began, detail: body.detail ?? '', contentType: response.headers.get('content-type') ?? '' };
    log(`with statement_timeout ${shortTimeoutMs} ms: ${cancelled.status} in ${cancelled.ms.toFixed(0)} ms: ${cancelled.detail}`);
  } finally {
    limited.child.kill();
  }
}

let refresh: RefreshResult | undefined;
if (!args['no-refresh'] && !args['rollups-only']) refresh = await measureRefresh(benchUrl, ROWS);

const ms = (value: number) => value.toFixed(0);
process.stdout.write(`\n${ROWS.toLocaleString('en-US')} crimes (2001-2025); API: ${SAMPLES} sequential requests per shape after 5 untimed (${SLOW_SAMPLES} for shapes read from the table); plain GROUP BY on data.crimes: ${PLAIN_SAMPLES} after 1 untimed (p99 of ${PLAIN_SAMPLES} is their maximum)\n\n`);
process.stdout.write('| shape | API p50 ms | API p99 ms | plain p50 ms | plain p99 ms | plain / API (p50) | target |\n|---|---:|---:|---:|---:|---:|---|\n');
for (const { shape, api: timed, plain } of results) {
  const ratio = plain.p50 / timed.p50;
  const target = shape.target;
  const met = !target ? '' : timed.p99 < target.p99Ms && (!target.fasterThanPlain || ratio >= target.fasterThanPlain);
  const targetText = !target ? '' : `p99 < ${target.p99Ms} ms${target.fasterThanPlain ? `, >= ${target.fasterThanPlain}x` : ''}: ${met ? 'met' : '**not met**'}`;
  process.stdout.write(`| ${shape.name} | ${ms(timed.p50)} | ${ms(timed.p99)} | ${ms(plain.p50)} | ${ms(plain.p99)} | ${ratio.toFixed(1)}x | ${targetText} |\n`);
}
if (cancelled) process.stdout.write(`\nno rollup, statement_timeout ${shortTimeoutMs} ms: HTTP ${cancelled.status} (${cancelled.contentType}) after ${ms(cancelled.ms)} ms: "${cancelled.detail}"\n`);
if (refresh) {
  process.stdout.write('\n| rollup refresh after | rows written | days to recompute | changes recorded | write s | aggregate refresh s | refresh / whole rebuild |\n|---|---:|---:|---:|---:|---:|---:|\n');
  for (const run of refresh.runs) {
    process.stdout.write(
      `| ${run.name} | ${run.rows.toLocaleString('en-US')} | ${run.days} | ${run.changes.toLocaleString('en-US')} | ${(run.syncMs / 1000).toFixed(1)} | ${(run.refreshMs / 1000).toFixed(2)} | ${((run.refreshMs / refresh.wholeMs) * 100).toFixed(2)}% |\n`,
    );
  }
  process.stdout.write(`| whole rebuild from the table (every day) | ${ROWS.toLocaleString('en-US')} | ${refresh.wholeDays} | | | ${(refresh.wholeMs / 1000).toFixed(2)} | 100% |\n`);
  process.stdout.write(`\nthe rest of the after-sync hook (report materialized views, refreshed whole): ${(refresh.reportsMs / 1000).toFixed(1)} s\n`);
}
