// Where one request's time goes, end to end (not a test; never run by `npm test`):
//   npm run bench:api-profile -- [--seconds 15] [--connections 8]
// On the database bench:api loaded (bench/crimes-database.ts, reused as it is), for one list request
// and one aggregate request:
// - the SQL each one sends, captured from an in-process app, and PostgreSQL's
//   EXPLAIN (ANALYZE, BUFFERS) of it (planning and execution time, buffers hit and read);
// - V8's CPU profile of the API process (what `--cpu-prof` records, started after a 10 s warm-up)
//   serving that request under closed-loop load, its self time grouped by where the code lives
//   (Lakefront, express, the validator, pg, knex, Node's HTTP, garbage collection), per request;
// - CPU per request of the API process and of PostgreSQL's backends, read from /proc;
// and the same profile of the bare node:http + pg handler serving the list's SQL, for comparison.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { connect } from '../core/db/connect.js';
import { silentLogger } from '../core/log.js';
import { listen } from '../server/src/listen.js';
import { BENCH_DATABASE } from './crimes-database.js';
import { LIST_PATH } from './api-target.js';
import { processCpu } from './process-cpu.js';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '15' }, connections: { type: 'string', default: '8' } } });
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${BENCH_DATABASE}` }).toString();

const REQUESTS: [string, string][] = [
  ['list (filtered page)', LIST_PATH],
  ['aggregate (count by primary_type, one year)', '/v1/crimes/aggregate?group_by=primary_type&from=2019-01-01&to=2020-01-01'],
];

/** The statements one request sends, with their bindings, from an app in this process. */
async function capturedSql(path: string): Promise<{ sql: string; bindings: unknown[] }[]> {
  const db = await connect({ databaseUrl: benchUrl, poolMax: 2 });
  const seen: { sql: string; bindings: unknown[] }[] = [];
  try {
    const running = await listen({ db, log: silentLogger, limits: { rateLimitPerMinute: 0 } }, 0, '127.0.0.1');
    await (await fetch(running.url + path)).text(); // warms the app's caches (freshness, rollup catalogue)
    db.knex.on('query', (query: { sql: string; bindings?: unknown[] }) => seen.push({ sql: query.sql, bindings: query.bindings ?? [] }));
    const response = await fetch(running.url + path);
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    await response.text();
    await running.close();
    return seen;
  } finally {
    await db.close();
  }
}

/** The plan of a statement as knex sent it (native `$n` placeholders), run twice: the first fills the buffer cache as the load would have. */
async function explain(statement: { sql: string; bindings: unknown[] }): Promise<string> {
  const client = new pg.Client({ connectionString: benchUrl });
  await client.connect();
  try {
    await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.bindings);
    const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.bindings);
    return result.rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Where a function lives, coarsely: the package, Lakefront's own file, or Node itself. */
function placeOfFrame(url: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  if (url.startsWith('node:')) return `node:${url.replace(/^node:(internal\/)?/, '').split('/')[0]}`;
  const own = /\/(server|core|bench)\/(.*)$/.exec(url);
  return own ? `lakefront ${own[1]}/${own[2]}` : url;
}

/**
 * Self time by place, per request. A built-in without a script (JSON, RegExp, Buffer, the
 * parsers' C++) is charged to the nearest caller that has one, so that `JSON.stringify` in a
 * handler counts for the handler.
 */
function summarize(file: string, requests: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const placeOf = (id: number): string => {
    const { functionName } = byId.get(id)!.callFrame;
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName.startsWith('(')) return functionName;
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      if (frame.url) return current === id ? placeOfFrame(frame.url) : `${placeOfFrame(frame.url)} (built-ins)`;
    }
    return '(native, no caller)';
  };
  const self = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const place = placeOf(id);
    self.set(place, (self.get(place) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const busy = [...self].filter(([place]) => place !== '(idle)').reduce((sum, [, micros]) => sum + micros, 0);
  const rows = [...self].filter(([place]) => place !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 22);
  return [
    `CPU of the server process (V8 profile, idle excluded): ${(busy / 1000 / requests).toFixed(3)} ms per request over ${requests} requests; self time by place:`,
    ...rows.map(([place, micros]) => `  ${(micros / 1000 / requests).toFixed(3).padStart(7)} ms  ${((micros / busy) * 100).toFixed(1).padStart(5)}%  ${place}`),
  ].join('\n');
}

/** utime + stime of every PostgreSQL process, in ms, by pid. */
function postgresCpuMs(): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let command: string;
    try {
      command = readFileSync(`/proc/${pid}/comm`, 'utf8');
    } catch {
      continue; // the process ended meanwhile
    }
    const seconds = command.startsWith('postgres') ? processCpu(pid) : Number.NaN;
    if (!Number.isNaN(seconds)) byPid.set(pid, seconds * 1000);
  }
  return byPid;
}

/** CPU the PostgreSQL processes alive at both readings spent between them (the pool's backends among them). */
function postgresCpuBetween(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of after) if (before.has(pid)) total += ms - before.get(pid)!;
  return total;
}


async function profileUnderLoad(kind: 'api' | 'bare', path: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lakefront-profile-'));
  const file = join(dir, 'api.cpuprofile');
  const child = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', 'bench/api-targets.ts', kind, benchUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_CPU_PROFILE: file },
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}${path}`));
  });
  try {
    await autocannon({ url, connections: CONNECTIONS, duration: 10 });
    child.kill('SIGUSR2');
    const pgBefore = postgresCpuMs();
    const apiBefore = 1000 * processCpu(child.pid!);
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
    const apiMs = 1000 * processCpu(child.pid!) - apiBefore;
    const pgMs = postgresCpuBetween(pgBefore, postgresCpuMs());
    const requests = result.requests.total;
    await new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    return [
      `${CONNECTIONS} connections, ${SECONDS} s after a 10 s warm-up: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
      `CPU per request from /proc: ${kind === 'api' ? 'API' : 'bare handler'} process ${(apiMs / requests).toFixed(3)} ms, PostgreSQL ${(pgMs / requests).toFixed(3)} ms`,
      summarize(file, requests),
    ].join('\n');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [name, path] of REQUESTS) {
  process.stdout.write(`\n## ${name}: GET ${path}\n\n`);
  for (const statement of await capturedSql(path)) {
    process.stdout.write(`SQL: ${statement.sql}\nbindings: ${JSON.stringify(statement.bindings)}\n\n${await explain(statement)}\n\n`);
  }
  process.stdout.write(`${await profileUnderLoad('api', path)}\n`);
}
// The bare handler serves the list's SQL with nothing around it: the difference is the API's own work.
process.stdout.write(`\n## bare node:http + pg handler, the same list SQL\n\n${await profileUnderLoad('bare', REQUESTS[0]![1])}\n`);
process.stdout.write(`\nload average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
