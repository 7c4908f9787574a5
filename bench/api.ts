// Benchmark of the read API at scale (not a test; never run by `npm test`).
//   npm run bench:api -- [--rows 8000000] [--duration 20] [--warmup 10] [--rounds 6] [--connections 8,32] [--no-peer] [--reload] [--refresh] [--export]
// Loads `--rows` crimes (the bundled real sample cloned with new ids, dates spread over
// 2001-2025) into the shared database `lakefront_bench_api` (bench/crimes-database.ts) on the
// PostgreSQL in DATABASE_URL, refreshes the report rollups, then runs autocannon in one run
// against the API, a bare node:http + pg handler serving the list's SQL and a peer (Platformatic
// DB, bench/peer/, installed on demand) serving the same table with the same filter, order and
// page size: closed loop at each connection count in alternating rounds, then open loop at half
// the bare handler's throughput (bench/open-loop.ts: evenly spaced requests), the bare handler
// included. A loaded database is reused unless --reload; its rollups are
// refreshed after a load or with --refresh.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { connect } from '../core/db/connect.js';
import { encodeCursor } from '../server/src/cursor.js';
import { checkSameRows, installPeer, peerListPath, startPeer } from './api-peer.js';
import { openLoop } from './open-loop.js';
import { LIST, LIST_PATH, SERVER_NODE_FLAGS, startTarget as startBenchTarget } from './api-target.js';
import { log, prepareBenchCrimes } from './crimes-database.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '8000000' },
    duration: { type: 'string', default: '20' },
    /** Seconds of load before each measured run, so that V8 has optimized the server's hot code. */
    warmup: { type: 'string', default: '10' },
    /** Alternating API/bare/peer rounds that share the list's measured duration, at each connection count. */
    rounds: { type: 'string', default: '6' },
    /** Connection counts of the closed-loop list rounds; the other closed-loop targets use the largest. */
    connections: { type: 'string', default: '8,32' },
    /** Leave the peer out (no install, no rounds). */
    'no-peer': { type: 'boolean', default: false },
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
const CONNECTION_COUNTS = args.connections.split(',').map(Number);
const CONNECTIONS = Math.max(...CONNECTION_COUNTS);
const WITH_PEER = !args['no-peer'];
const startTarget = (kind: 'api' | 'bare') => startBenchTarget(kind, benchUrl);

interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

interface Load {
  duration?: number;
  warmup?: number;
  connections?: number;
}

async function measure(name: string, url: string, { duration = DURATION, warmup = WARMUP, connections = CONNECTIONS }: Load = {}): Promise<Measured> {
  // The warm-up fills caches and pools and lets V8 finish optimizing: the API has far more code to
  // compile than the bare handler, and a 2 s warm-up left its first measured seconds slower
  // (p99 76-82 ms against 60-61 ms after 15 s, same machine, same code).
  if (warmup > 0) await autocannon({ url, connections, duration: warmup });
  const result = await autocannon({ url, connections, duration });
  const measured = { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
  // Which statuses the non-2xx answers had (autocannon counts them, by status code), and the socket errors.
  const statuses = Object.entries((result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${count} x ${status}`);
  const failures = [...statuses, ...(result.errors ? [`${result.errors} socket errors/timeouts`] : [])].join(', ');
  log(`${name}: ${measured.rps.toFixed(0)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms${failures ? `, ${failures}` : ''}`);
  return measured;
}

const benchUrl = await prepareBenchCrimes({ rows: ROWS, reload: args.reload, refresh: args.refresh });
const db = await connect({ databaseUrl: benchUrl, poolMax: 2 });

// The row 70% of the way down the default order (see deepCursor).
const deep = (await db.knex.raw(`SELECT date, id FROM api.crimes ORDER BY date DESC NULLS LAST, id DESC OFFSET ${Math.floor(ROWS * 0.7)} LIMIT 1`)).rows[0] as { date: string; id: number };
const busiestZip = (await db.knex.raw(`SELECT zip FROM api.crimes_zip_day GROUP BY zip ORDER BY sum(count) DESC LIMIT 1`)).rows[0].zip as string;
await db.close();

/**
 * A real deep cursor: the API's own first-page cursor (its scope names the order and the filters)
 * moved to the row 70% of the way down the default order, what a client paging that far holds.
 */
async function deepCursor(apiUrl: string): Promise<string> {
  const first = (await (await fetch(`${apiUrl}/v1/crimes?limit=1`)).json()) as { next_cursor: string };
  const { s: scope } = JSON.parse(Buffer.from(first.next_cursor, 'base64url').toString()) as { s: string };
  return encodeCursor(scope, [deep.date, deep.id]);
}

const targets: [string, string][] = [
  ['list (filtered page)', LIST_PATH],
  ['list (deep cursor)', '/v1/crimes?limit=100&cursor=DEEP'],
  ['report by-zip (one year)', '/v1/reports/crimes/by-zip?from=2019-01-01&to=2020-01-01'],
  ['report trends (one ZIP, monthly)', `/v1/reports/crimes/trends?zip=${busiestZip}&interval=month`],
  ['aggregate (count by primary_type, one year)', '/v1/crimes/aggregate?group_by=primary_type&from=2019-01-01&to=2020-01-01'],
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

interface Contender {
  readonly name: string;
  readonly url: string;
}

interface Rounds {
  readonly connections: number;
  /** Each contender's runs, in contender order, one per round. */
  readonly runs: Measured[][];
}

/**
 * The contenders serve the same list query in alternating rounds (`ROUNDS` rounds of DURATION /
 * ROUNDS seconds each, the order rotated every round), so that all see the same drift in whatever
 * else runs on the machine. Its speed was seen to change by a third within minutes, so a ratio is
 * the median of the rounds' ratios, each taken from runs next to each other in time.
 */
async function alternate(contenders: readonly Contender[], connections: number, warmup: number): Promise<Rounds> {
  const runs: Measured[][] = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = contenders.map((_contender, index) => (index + round) % contenders.length);
    if (round % 2 === 1) order.reverse();
    // Each contender's first run gets the full warm-up; later ones a second, to refill the pool.
    for (const index of order) {
      runs[index]!.push(await measure(`${contenders[index]!.name}, ${connections} conn.`, contenders[index]!.url, { duration: DURATION / ROUNDS, warmup: round === 0 ? warmup : 1, connections }));
    }
  }
  return { connections, runs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function combine(runs: readonly Measured[]): Measured {
  return {
    name: runs[0]!.name,
    rps: median(runs.map((run) => run.rps)),
    p50: median(runs.map((run) => run.p50)),
    p99: Math.max(...runs.map((run) => run.p99)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

if (WITH_PEER) installPeer(log);
const api = await startTarget('api');
const bare = await startTarget('bare');
targets[1]![1] = targets[1]![1].replace('DEEP', await deepCursor(api.url));
const peer = WITH_PEER ? await startPeer(benchUrl, SERVER_NODE_FLAGS) : undefined;
const loadBefore = loadAverage();
const lists: Rounds[] = [];
const closed: Measured[] = [];
const open: Measured[] = [];
let offeredRate = 0;
try {
  // A target that answers an error would be timed as a fast one.
  for (const [name, path] of targets) {
    const response = await fetch(api.url + path);
    if (!response.ok) throw new Error(`${name}: ${path} answered ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  }
  const contenders: Contender[] = [
    { name: 'API list', url: api.url + LIST_PATH },
    { name: 'bare node:http + pg', url: bare.url + LIST_PATH },
  ];
  if (peer) {
    // Same rows before any timing: Lakefront fetches one row more to know whether a next page exists; the peer does not.
    const ours = ((await (await fetch(api.url + LIST_PATH)).json()) as { data: Record<string, unknown>[] }).data;
    const peerPath = peerListPath(LIST.primaryType, LIST.from, LIST.to, LIST.limit);
    const theirs = (await (await fetch(peer.url + peerPath)).json()) as Record<string, unknown>[];
    checkSameRows(ours, theirs);
    log(`the peer answers the same ${ours.length} rows as the API (${peerPath})`);
    contenders.push({ name: 'peer: Platformatic DB', url: peer.url + peerPath });
  }
  for (const [index, connections] of CONNECTION_COUNTS.entries()) lists.push(await alternate(contenders, connections, index === 0 ? WARMUP : 2));
  for (const [name, path] of targets.slice(1)) closed.push(await measure(`API ${name}`, api.url + path));
  // The cost of the HTTP stack alone (routing, validation, headers, logging, metrics), for reading the ratio.
  closed.push(await measure('API /healthz (no database, for reference)', `${api.url}/healthz`, { duration: DURATION / 2 }));

  // Open loop at half the bare handler's best closed-loop throughput: requests are sent at that
  // rate, evenly spaced, whatever the answers' speed (bench/open-loop.ts), so latency is the
  // service's, not 32 queued clients'. The bare handler gets the same load: the latency this
  // machine gives the list's SQL with no API around it.
  offeredRate = Math.round(0.5 * Math.max(...lists.map((rounds) => median(rounds.runs[1]!.map((run) => run.rps)))));
  const openTargets: [string, string][] = [...targets.map(([name, path]): [string, string] => [`API ${name}`, api.url + path]), ['bare node:http + pg list', bare.url + LIST_PATH]];
  for (const [name, url] of openTargets) {
    await openLoop(url, { rate: offeredRate, seconds: 3 });
    const result = await openLoop(url, { rate: offeredRate, seconds: DURATION / 2 });
    const failed = Object.values(result.failures).reduce((sum, count) => sum + count, 0);
    const measured = { name: `${name}, open loop at ${offeredRate} req/s`, rps: result.rps, p50: round(result.p50), p99: round(result.p99), errors: failed };
    log(`${measured.name}: ${measured.rps.toFixed(0)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms${failed ? `, failed: ${JSON.stringify(result.failures)}` : ''}`);
    open.push(measured);
  }
} finally {
  api.child.kill();
  bare.child.kill();
  peer?.child.kill();
}
const loadAfter = loadAverage();

const exported = args.export ? await measureExport() : undefined;
if (exported) log(`CSV export: ${exported.rows} rows in ${exported.seconds.toFixed(0)} s, server RSS ${exported.startRssMb.toFixed(0)} MB before, peak ${exported.peakRssMb.toFixed(0)} MB`);

const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const row = (measured: Measured) => `| ${measured.name} | ${measured.rps.toFixed(0)} | ${measured.p50} | ${measured.p99} |${measured.errors ? ` ${measured.errors} errors` : ''}\n`;
process.stdout.write(`\n${ROWS.toLocaleString('en-US')} crimes; load average ${loadBefore} before, ${loadAfter} after\n`);
for (const rounds of lists) {
  process.stdout.write(`\nFiltered list, closed loop, ${rounds.connections} connections, ${ROUNDS} alternating rounds of ${DURATION / ROUNDS} s (median req/s and p50, worst p99)\n\n`);
  process.stdout.write('| target | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n');
  for (const runs of rounds.runs) process.stdout.write(row(combine(runs)));
  const ratios = (other: number) => rounds.runs[0]!.map((run, round) => run.rps / rounds.runs[other]![round]!.rps);
  const spread = (values: number[]) => `${percent(median(values))}, the median of ${values.length} rounds (${percent(Math.min(...values))}-${percent(Math.max(...values))}: ${values.map(percent).join(', ')})`;
  process.stdout.write(`\nAPI / bare: ${spread(ratios(1))} (target >= 75%)\n`);
  if (rounds.runs[2]) process.stdout.write(`API / peer: ${spread(ratios(2))} (target >= 100%)\n`);
}
process.stdout.write(`\nOther targets, closed loop, ${CONNECTIONS} connections x ${DURATION} s after a ${WARMUP} s warm-up\n\n| target | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n`);
for (const measured of closed) process.stdout.write(row(measured));
process.stdout.write(`\nOpen loop at ${offeredRate} req/s (half the bare handler's best median), evenly spaced, ${DURATION / 2} s each after 3 s at the same rate\n\n| target | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n`);
for (const measured of open) process.stdout.write(row(measured));
const worst = (from: number, to: number) => Math.max(...open.slice(from, to).map((measured) => measured.p99));
process.stdout.write(`\nopen loop: list p99 ${worst(0, 2)} ms (target < 20; the bare handler's ${worst(5, 6)} ms at the same rate), report and aggregate p99 ${worst(2, 5)} ms (target < 50)\n`);
if (exported) {
  process.stdout.write(
    `full CSV export: ${exported.rows.toLocaleString('en-US')} rows in ${exported.seconds.toFixed(0)} s ` +
      `(${Math.round(exported.rows / exported.seconds).toLocaleString('en-US')} rows/s), server RSS peak ${exported.peakRssMb.toFixed(0)} MB (${exported.startRssMb.toFixed(0)} MB idle)\n`,
  );
}
