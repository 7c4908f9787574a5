// The list after a quiet spell (not a test; never run by `npm test`):
//   npm run bench:api-after-idle -- [--rate 564] [--idle 35] [--seconds 30] [--rounds 2]
// On the database bench:api loaded (bench/crimes-database.ts, reused as it is), the API and the
// bare node:http + pg handler of bench/api-targets.ts, each in turn: the filtered list warm
// (10 s closed loop at 8 connections), then `--idle` seconds without a request, then the list open
// loop at `--rate` (bench/open-loop.ts): its first 3 s, when a server meets the burst, and the
// `--seconds` after. bench:api runs its open loop after minutes of load that read no rows (kept
// reports, /healthz), which is this situation: a pool that closes idle connections meets the burst
// with one connection.
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { benchDatabaseUrl } from './crimes-database.js';
import { LIST_PATH, startTarget, type TargetKind } from './api-target.js';
import { openLoop, type OpenLoopResult } from './open-loop.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '564' },
    idle: { type: 'string', default: '35' },
    seconds: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '2' },
  },
});
const RATE = Number(args.rate);
const TARGETS: [TargetKind, string][] = [
  ['api', 'API'],
  ['bare', 'bare node:http + pg'],
];

const cells = (result: OpenLoopResult) => {
  const failed = Object.values(result.failures).reduce((sum, count) => sum + count, 0);
  return `${result.p50.toFixed(1)} | ${result.p99.toFixed(1)} | ${failed}`;
};

console.log(`List after ${args.idle} s idle, open loop at ${RATE} req/s\n`);
console.log('| round | server | first 3 s: p50 ms | p99 ms | failed | next ' + args.seconds + ' s: p50 ms | p99 ms | failed |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
for (let round = 1; round <= Number(args.rounds); round += 1) {
  for (const [kind, label] of TARGETS) {
    const { child, url } = await startTarget(kind, benchDatabaseUrl);
    try {
      const list = `${url}${LIST_PATH}`;
      await autocannon({ url: list, connections: 8, duration: 10 });
      await new Promise((resolve) => setTimeout(resolve, Number(args.idle) * 1000));
      const burst = await openLoop(list, { rate: RATE, seconds: 3 });
      const after = await openLoop(list, { rate: RATE, seconds: Number(args.seconds) });
      console.log(`| ${round} | ${label} | ${cells(burst)} | ${cells(after)} |`);
    } finally {
      child.kill('SIGTERM');
    }
  }
}
process.exit(0);
