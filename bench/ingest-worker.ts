/**
 * One timed ingest in its own process, so its peak RSS is the ingest's alone. Prints one JSON line.
 * Usage: tsx bench/ingest-worker.ts <portal url> <database url> <page size>
 */
import { crimes } from '../core/datasets/crimes.js';
import { connect } from '../core/db/connect.js';
import { createLogger } from '../core/log.js';
import { createSyncHooks } from '../ingest/sync/hooks.js';
import { syncDataset } from '../ingest/sync/sync-dataset.js';
import { postgresCpuSeconds as postgresCpu } from './process-cpu.js';

const [portalUrl, databaseUrl, pageSize] = process.argv.slice(2);
let peakRss = process.memoryUsage().rss;
let peakHeap = 0;
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed + usage.external);
}, 25);
const db = await connect({ databaseUrl, poolMax: 4 });
const hooks = await createSyncHooks(db);
// Timed apart: the report rollups refreshed after a sync are another feature's work, not ingest.
let afterSyncSeconds = 0;
let cpuSeconds = Number.NaN;
let postgresCpuSeconds = Number.NaN;
const timedAfterSync: NonNullable<typeof hooks.afterSync> = async (dataset, summary) => {
  const cpu = process.cpuUsage(cpuBefore);
  cpuSeconds = (cpu.user + cpu.system) / 1e6;
  postgresCpuSeconds = postgresCpu() - postgresBefore;
  const began = performance.now();
  await hooks.afterSync?.(dataset, summary);
  afterSyncSeconds = (performance.now() - began) / 1000;
};
// CPU from here to the after-sync hooks: both threads of this process, and every PostgreSQL process.
const cpuBefore = process.cpuUsage();
const postgresBefore = postgresCpu();
const started = performance.now();
const summary = await syncDataset(db, crimes, {
  socrata: { baseUrl: portalUrl! },
  log: createLogger({ level: 'warn' }),
  pageSize: Number(pageSize),
  hooks: { ...hooks, afterSync: timedAfterSync },
});
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
await db.close();
process.stdout.write(
  `${JSON.stringify({ status: summary.status, error: summary.error, rows: summary.sources[0]?.rowsRead ?? 0, seconds, afterSyncSeconds, cpuSeconds, postgresCpuSeconds, peakRss, peakHeap, phases: summary.phases })}\n`,
);
