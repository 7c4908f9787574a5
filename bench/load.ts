// Load benchmark (not a test; never run by `npm test`).
//   npm run bench:load -- [--connections 64] [--duration 60]
// Starts the real `lakefront serve` process on its own database `lakefront_bench_load` (on the
// PostgreSQL in DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) holding every
// bundled real sample, enriched, with the report rollups refreshed. autocannon then cycles through
// a mix of list pages (every dataset, filters, a deep cursor), reports and CSV exports, while the
// server's resident memory is sampled every 5 s. It fails (exit 1) on any error or non-2xx answer
// other than a 429 of the rate limiter (off here unless LAKEFRONT_RATE_LIMIT is set).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import knexFactory from 'knex';
import { datasets } from '../core/datasets/index.js';
import { connect } from '../core/db/connect.js';
import { migrateLatest } from '../core/db/migrate.js';
import { silentLogger } from '../core/log.js';
import { refreshRollups } from '../core/reports/rollups.js';
import { recomputeEnrichment } from '../ingest/enrich/recompute.js';
import { loadSample } from '../ingest/load-sample.js';
import { specOperations } from '../server/src/spec.js';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '64' },
    duration: { type: 'string', default: '60' },
    // mix: the everyday mix below. fairness: 20 loops of the most expensive valid request against
    // one cheap request (#23). hostile: maximum limits in every format and concurrent exports (#16).
    scenario: { type: 'string', default: 'mix' },
  },
});
const SCENARIO = args.scenario;
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
const DATABASE = 'lakefront_bench_load';
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${DATABASE}` }).toString();
const log = (message: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

/** A fresh database with every sample, so each run starts from the same state. */
async function prepareDatabase(): Promise<{ zip: string }> {
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE ${DATABASE}`);
  await admin.destroy();
  const db = await connect({ databaseUrl: benchUrl, poolMax: 2 });
  try {
    await migrateLatest(db.knex);
    for (const dataset of datasets) await loadSample(db.knex, dataset, silentLogger, { onlyIfEmpty: true });
    await recomputeEnrichment(db);
    await refreshRollups(db, undefined, { concurrently: false });
    await db.knex.raw('ANALYZE');
    const zip = (await db.knex.raw(`SELECT zip FROM api.crimes_zip_day GROUP BY zip ORDER BY sum(count) DESC LIMIT 1`)).rows[0].zip as string;
    return { zip };
  } finally {
    await db.close();
  }
}

/** A port nobody uses right now, for the server to listen on. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** `lakefront serve` as deployed: production limits (rate limit off unless set), logs at warn. */
async function startServer(): Promise<{ pid: number; url: string; stop: () => Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['cli/bin.js', 'serve', '--port', String(port)], {
    env: {
      ...process.env,
      DATABASE_URL: benchUrl,
      LOG_LEVEL: 'warn',
      LAKEFRONT_RATE_LIMIT: process.env.LAKEFRONT_RATE_LIMIT ?? '0',
      // One benchmark client stands for many: its row budget is off unless set.
      LAKEFRONT_ROWS_PER_MINUTE: process.env.LAKEFRONT_ROWS_PER_MINUTE ?? '0',
      // The mix measures throughput (every export admitted); the other scenarios keep the production bounds.
      ...(SCENARIO === 'mix' ? { LAKEFRONT_MAX_EXPORTS: String(CONNECTIONS) } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // Whatever happens to the benchmark, the server does not outlive it.
  process.once('exit', () => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 250) {
    if (child.exitCode !== null) throw new Error(`lakefront serve exited with ${child.exitCode}`);
    if (waited > 120_000) throw new Error('lakefront serve did not answer /readyz within 120 s');
    const ready = await fetch(`${url}/readyz`).then((response) => response.ok, () => false);
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    pid: child.pid!,
    url,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** The mix: a page of every dataset, filtered and deep pages, every report, CSV exports, the catalogue. */
async function requestMix(url: string, zip: string): Promise<{ path: string; kind: string }[]> {
  const mix: { path: string; kind: string }[] = [];
  for (const operation of specOperations()) {
    const names = new Set(operation.parameters.map((parameter) => parameter.name));
    if (operation.path.includes('{') || !names.has('limit') || operation.parameters.some((parameter) => (parameter as { required?: boolean }).required)) continue;
    // Boundary datasets carry whole (Multi)Polygons per row: a few rows are already a large answer.
    mix.push({ path: `${operation.path}?limit=${/zip-codes|community-areas/.test(operation.path) ? 2 : 50}`, kind: 'list' });
  }
  // A real deep cursor: the API's own next_cursor after 5,000 rows.
  const page = (await (await fetch(`${url}/v1/crimes?limit=5000&fields=id`)).json()) as { next_cursor: string | null };
  mix.push(
    { path: '/v1/crimes?primary_type=THEFT,BATTERY&from=2014-03-01&to=2014-03-15&limit=100', kind: 'list' },
    { path: `/v1/crimes?limit=100${page.next_cursor ? `&cursor=${page.next_cursor}` : ''}`, kind: 'list' },
    { path: '/v1/crimes?limit=100&count=exact&district=011', kind: 'list' },
    { path: '/v1/datasets', kind: 'list' },
    { path: '/v1/reports/crimes/by-zip?from=2014-01-01&to=2015-01-01', kind: 'report' },
    { path: `/v1/reports/crimes/trends?zip=${zip}&interval=week`, kind: 'report' },
    { path: '/v1/reports/crimes/per-capita', kind: 'report' },
    { path: '/v1/reports/service-requests/by-type', kind: 'report' },
    { path: '/v1/reports/business-licenses/issued', kind: 'report' },
    { path: '/v1/reports/traffic-crashes/monthly', kind: 'report' },
    { path: '/v1/reports/trips/by-community-area', kind: 'report' },
    { path: '/v1/reports/cta-station-entries/monthly', kind: 'report' },
    { path: '/v1/crimes?format=csv&from=2014-03-10&to=2014-03-12', kind: 'csv' },
    { path: '/v1/crimes?format=csv&limit=1000', kind: 'csv' },
    { path: '/v1/crimes?format=ndjson&primary_type=NARCOTICS', kind: 'csv' },
  );
  // Every request of the mix must work before it is measured.
  for (const item of mix) {
    const response = await fetch(url + item.path);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${item.path} answered ${response.status}`);
  }
  return mix;
}

log(`preparing ${DATABASE}`);
const { zip } = await prepareDatabase();
const server = await startServer();
if (SCENARIO !== 'mix') {
  await runScenario(SCENARIO!, server);
  process.exit(0);
}
const rss: { at: number; mb: number }[] = [{ at: 0, mb: rssMb(server.pid) }];
log(`server pid ${server.pid} at ${server.url}, RSS ${rss[0]!.mb.toFixed(0)} MB`);
const mix = await requestMix(server.url, zip);
log(`mix: ${mix.length} requests (${mix.filter((item) => item.kind === 'list').length} list, ${mix.filter((item) => item.kind === 'report').length} report, ${mix.filter((item) => item.kind === 'csv').length} CSV/NDJSON)`);

// Warm-up (JIT, pools, caches), then the measured run with RSS sampled every 5 s.
await autocannon({ url: server.url, connections: CONNECTIONS, duration: 5, timeout: 30, requests: mix.map((item) => ({ method: 'GET', path: item.path })) });
const rssBefore = rssMb(server.pid);
const began = Date.now();
const sampler = setInterval(() => rss.push({ at: Math.round((Date.now() - began) / 1000), mb: rssMb(server.pid) }), 5_000);
const result = await autocannon({
  url: server.url,
  connections: CONNECTIONS,
  duration: DURATION,
  // Longer than the server's own request timeout (20 s): a slow answer shows up as the server's
  // 503, never as a client giving up first.
  timeout: 30,
  requests: mix.map((item) => ({ method: 'GET', path: item.path })),
});
clearInterval(sampler);
const rssAfter = rssMb(server.pid);
const exitCode = await server.stop();

const non2xx = result.non2xx;
const limited = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats?.['429']?.count ?? 0;
const samples = rss.slice(1);
const half = Math.floor(samples.length / 2);
const mean = (items: { mb: number }[]) => items.reduce((sum, item) => sum + item.mb, 0) / Math.max(1, items.length);
const firstHalf = mean(samples.slice(0, half));
const secondHalf = mean(samples.slice(half));

process.stdout.write(`\n${CONNECTIONS} connections x ${DURATION} s, ${mix.length}-request mix (lists, reports, CSV/NDJSON) on PostgreSQL\n\n`);
process.stdout.write('| req/s | p50 ms | p99 ms | p99.9 ms | requests | errors | timeouts | non-2xx (429) |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n');
process.stdout.write(
  `| ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${result.latency.p99_9} | ${result.requests.total} | ${result.errors} | ${result.timeouts} | ${non2xx} (${limited}) |\n`,
);
process.stdout.write(`\nserver RSS: ${rss[0]!.mb.toFixed(0)} MB idle, ${rssBefore.toFixed(0)} MB after warm-up, ${rssAfter.toFixed(0)} MB after the run\n`);
process.stdout.write(`RSS every 5 s: ${samples.map((sample) => sample.mb.toFixed(0)).join(', ')} MB\n`);
if (samples.length >= 2) {
  process.stdout.write(`mean RSS first half ${firstHalf.toFixed(0)} MB, second half ${secondHalf.toFixed(0)} MB (${(((secondHalf - firstHalf) / firstHalf) * 100).toFixed(1)}%)\n`);
}
process.stdout.write(`server exit code after SIGTERM: ${exitCode}\n`);

const failed = result.errors > 0 || result.timeouts > 0 || non2xx !== limited || exitCode !== 0;
if (failed) {
  process.stdout.write('FAILED: errors, timeouts or non-2xx answers other than 429\n');
  process.exit(1);
}

/** Samples the server's RSS every 250 ms while `work` runs; returns the peak. */
async function peakRss<T>(pid: number, work: Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250);
  try {
    return { result: await work, peakMb: Math.max(peak, rssMb(pid)) };
  } finally {
    clearInterval(sampler);
  }
}

function statusCounts(result: autocannon.Result): string {
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return Object.entries(stats).map(([status, { count }]) => `${status}: ${count}`).join(', ');
}

async function runScenario(scenario: string, running: { pid: number; url: string; stop: () => Promise<number | null> }): Promise<void> {
  const rows = ((await (await fetch(`${running.url}/v1/crimes?limit=1&count=exact`)).json()) as { total: number }).total;
  const cheap = '/v1/crimes?limit=1&primary_type=THEFT';
  let failed = false;
  if (scenario === 'fairness') {
    const expensive = '/v1/crimes?limit=10000&format=geojson';
    await autocannon({ url: running.url, connections: 1, duration: 5, requests: [{ method: 'GET', path: cheap }] });
    const idle = await autocannon({ url: running.url, connections: 1, duration: DURATION, requests: [{ method: 'GET', path: cheap }] });
    const { result, peakMb } = await peakRss(
      running.pid,
      Promise.all([
        autocannon({ url: running.url, connections: 20, duration: DURATION, timeout: 30, requests: [{ method: 'GET', path: expensive }] }),
        autocannon({ url: running.url, connections: 1, duration: DURATION, timeout: 30, requests: [{ method: 'GET', path: cheap }] }),
      ]),
    );
    const [heavy, loaded] = result;
    const ratio = loaded.latency.p99 / Math.max(1, idle.latency.p99);
    process.stdout.write(`\nfairness: 20 loops of ${expensive} against 1 loop of ${cheap}, ${DURATION} s, crimes ${rows} rows, PostgreSQL\n\n`);
    process.stdout.write('| cheap request | p50 ms | p99 ms | requests |\n|---|---:|---:|---:|\n');
    process.stdout.write(`| idle | ${idle.latency.p50} | ${idle.latency.p99} | ${idle.requests.total} |\n| under load | ${loaded.latency.p50} | ${loaded.latency.p99} | ${loaded.requests.total} |\n`);
    process.stdout.write(`\nexpensive loops: ${heavy.requests.total} requests (${statusCounts(heavy)}), p99 ${heavy.latency.p99} ms\n`);
    process.stdout.write(`cheap p99 under load / idle p99 = ${ratio.toFixed(1)} (target < 10); peak server RSS ${peakMb.toFixed(0)} MB (target < 400)\n`);
    failed = ratio >= 10 || peakMb >= 400 || loaded.non2xx > 0;
  } else if (scenario === 'hostile') {
    const requests = [
      ...['json', 'geojson', 'csv', 'ndjson'].map((format) => `/v1/crimes?limit=10000&format=${format}`),
      '/v1/crimes?format=csv',
      '/v1/crimes?format=ndjson',
      '/v1/service-requests?format=csv',
      ...['Infinity', '-Infinity', '1e309', '1e4', '0x2710', '10000.0'].map((limit) => `/v1/crimes?limit=${limit}&format=geojson`),
      '/v1/crimes?fields[a]=id',
    ].map((path) => ({ method: 'GET' as const, path }));
    const { result, peakMb } = await peakRss(running.pid, autocannon({ url: running.url, connections: CONNECTIONS, duration: DURATION, timeout: 30, requests }));
    process.stdout.write(`\nhostile: ${CONNECTIONS} connections x ${DURATION} s cycling ${requests.length} requests (maximum limits in every format, full exports, every number form of limit), crimes ${rows} rows\n`);
    process.stdout.write(`requests ${result.requests.total} (${statusCounts(result)}), errors ${result.errors}, timeouts ${result.timeouts}, p99 ${result.latency.p99} ms\n`);
    process.stdout.write(`peak server RSS ${peakMb.toFixed(0)} MB\n`);
    const stats = (result as unknown as { statusCodeStats?: Record<string, unknown> }).statusCodeStats ?? {};
    failed = result.errors > 0 || Object.keys(stats).some((status) => status.startsWith('5') && status !== '503');
  } else {
    throw new Error(`unknown scenario "${scenario}": mix, fairness or hostile`);
  }
  const exit = await running.stop();
  if (failed || exit !== 0) {
    process.stdout.write(`FAILED (server exit ${exit})\n`);
    process.exit(1);
  }
}
