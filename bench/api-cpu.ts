// CPU per list request, split by process (not a test; never run by `npm test`):
//   npm run bench:api-cpu -- [--rounds 3] [--seconds 8] [--connections 8]
// On the database bench:api loaded (bench/crimes-database.ts, reused as it is), three servers of
// bench/api-targets.ts serve the filtered list page in turn, in alternating rounds: the API, the
// bare node:http + pg handler, and Express with one route running the same SQL (what Express
// itself costs). Under closed-loop load from autocannon (in this process) it reads from /proc the
// CPU each one spends per request: the server's main thread (the one JavaScript runs on, the bound
// of a Node server), the whole server process (with V8's and libuv's helper threads), PostgreSQL's
// processes and this process (the load generator), and how much of the machine stayed idle. Medians
// of the rounds, with their spread; and the server's minor page faults per request, which showed a
// page's Buffer churning malloc'd memory (README, "Read API"). The V8 profile of bench:api-profile
// samples wall time, and on two busy cores a thread descheduled inside a system call is sampled
// there; these are CPU times.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BENCH_DATABASE, benchDatabaseUrl } from './crimes-database.js';
import { minorFaults, postgresCpuSeconds, processCpu, threadCpu } from './process-cpu.js';
import { LIST_PATH, startTarget, type TargetKind } from './api-target.js';
import { percentile } from './percentile.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '8' }, connections: { type: 'string', default: '8' } },
});
const ROUNDS = Number(args.rounds);
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const TARGETS: [TargetKind, string][] = [
  ['api', 'API'],
  ['express', 'Express, one route, same SQL'],
  ['bare', 'bare node:http + pg'],
];

interface Split {
  rps: number;
  main: number;
  process: number;
  postgres: number;
  loadGenerator: number;
  idle: number;
  /** Minor page faults of the server process (memory the kernel had to map in). */
  faults: number;
}

/** Idle and total jiffies of the whole machine. */
function machineTicks(): { idle: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: fields[3]! + fields[4]!, total: fields.reduce((sum, value) => sum + value, 0) };
}

async function measure(kind: TargetKind): Promise<Split> {
  const { child, url } = await startTarget(kind, benchDatabaseUrl);
  try {
    const target = `${url}${LIST_PATH}`;
    await autocannon({ url: target, connections: CONNECTIONS, duration: 4 });
    const pid = child.pid!;
    const before = { main: threadCpu(pid, pid), process: processCpu(pid), postgres: postgresCpuSeconds(), self: process.cpuUsage(), machine: machineTicks(), faults: minorFaults(pid) };
    const result = await autocannon({ url: target, connections: CONNECTIONS, duration: SECONDS });
    const self = process.cpuUsage(before.self);
    const machine = machineTicks();
    const requests = result.requests.total;
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${kind}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
    const perRequest = (seconds: number) => (seconds * 1000) / requests;
    return {
      rps: requests / SECONDS,
      main: perRequest(threadCpu(pid, pid) - before.main),
      process: perRequest(processCpu(pid) - before.process),
      postgres: perRequest(postgresCpuSeconds() - before.postgres),
      loadGenerator: perRequest((self.user + self.system) / 1e6),
      idle: (machine.idle - before.machine.idle) / (machine.total - before.machine.total),
      faults: (minorFaults(pid) - before.faults) / requests,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

const results = new Map<TargetKind, Split[]>(TARGETS.map(([kind]) => [kind, []]));
for (let round = 0; round < ROUNDS; round++) {
  // The order rotates each round, so that no server always runs first after another's load.
  const order = TARGETS.map((_, index) => TARGETS[(index + round) % TARGETS.length]!);
  for (const [kind, name] of order) {
    const split = await measure(kind);
    results.get(kind)!.push(split);
    process.stdout.write(
      `round ${round + 1}: ${name}: ${Math.round(split.rps)} req/s, main thread ${split.main.toFixed(3)} ms, process ${split.process.toFixed(3)} ms, PostgreSQL ${split.postgres.toFixed(3)} ms, load generator ${split.loadGenerator.toFixed(3)} ms a request, ${split.faults.toFixed(2)} page faults a request; machine idle ${Math.round(split.idle * 100)}%\n`,
    );
  }
}

const spread = (values: number[], digits: number) => {
  const text = (value: number) => (digits === 0 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits));
  return `${text(percentile(values, 50))} (${text(Math.min(...values))}-${text(Math.max(...values))})`;
};
process.stdout.write(
  [
    '',
    `${BENCH_DATABASE}, GET ${LIST_PATH}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s after 4 s of warm-up; medians (min-max)`,
    '',
    '| server | req/s | main thread CPU ms/request | server process | PostgreSQL | load generator | machine idle | server page faults/request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...TARGETS.map(([kind, name]) => {
      const splits = results.get(kind)!;
      const pick = (key: keyof Split) => splits.map((split) => split[key]);
      return `| ${name} | ${spread(pick('rps'), 0)} | ${spread(pick('main'), 3)} | ${spread(pick('process'), 3)} | ${spread(pick('postgres'), 3)} | ${spread(pick('loadGenerator'), 3)} | ${spread(pick('idle').map((idle) => idle * 100), 0)}% | ${spread(pick('faults'), 2)} |`;
    }),
    '',
    `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    '',
  ].join('\n'),
);
