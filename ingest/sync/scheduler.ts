import type { DatasetDefinition } from '../../core/datasets/index.js';
import { datasets as allDatasets } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import type { Logger } from '../../core/log.js';
import type { SodaClientOptions } from '../socrata/client.js';
import { createSyncHooks } from './hooks.js';
import type { DatasetSyncSummary } from './summary.js';
import { syncDataset } from './sync-dataset.js';

export interface SchedulerOptions {
  readonly db: Database;
  readonly log: Logger;
  readonly everyMs: number;
  readonly socrata: Omit<SodaClientOptions, 'onRetry'>;
  readonly datasets?: readonly DatasetDefinition[];
  /** Bound each read to the last N days of a dataset's time column (embedded mode: a laptop, not a warehouse). */
  readonly backfillDays?: number;
  readonly pageSize?: number;
  /** Milliseconds before the first cycle (lets the server start listening first). */
  readonly firstDelayMs?: number;
}

export interface SyncScheduler {
  /** Runs one cycle now (the timer keeps its own rhythm); resolves with what each dataset did. */
  runOnce(): Promise<DatasetSyncSummary[]>;
  /** Stops the timer and waits for a dataset sync in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Syncs every dataset in the server process, one cycle at a time, every `everyMs`. When the
 * portal is unreachable it says so in ONE warning line (again only after it was reachable in
 * between) and the server keeps serving what it has.
 */
export function startSyncScheduler(options: SchedulerOptions): SyncScheduler {
  const { log } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DatasetSyncSummary[]> | undefined;
  let stopped = false;
  let offline = false;

  async function cycle(): Promise<DatasetSyncSummary[]> {
    const hooks = await createSyncHooks(options.db);
    const summaries: DatasetSyncSummary[] = [];
    for (const dataset of options.datasets ?? allDatasets) {
      if (stopped) break;
      const since = options.backfillDays && dataset.timeColumn ? daysAgo(options.backfillDays) : undefined;
      const summary = await syncDataset(options.db, dataset, {
        socrata: { retries: 2, ...options.socrata },
        log,
        since,
        pageSize: options.pageSize,
        hooks,
        quiet: true,
      });
      summaries.push(summary);
      if (summary.unreachable) {
        if (!offline) log.warn(`Socrata portal ${options.socrata.baseUrl} is unreachable (${summary.error}); serving the data already loaded, next try in ${Math.round(options.everyMs / 1000)} s`);
        offline = true;
        break;
      }
      if (offline && summary.status === 'synced') log.info('Socrata portal reachable again');
      if (summary.status !== 'failed') offline = false;
      if (summary.status === 'failed') log.warn({ dataset: dataset.key }, `sync of ${dataset.key} failed: ${summary.error}`);
    }
    return summaries;
  }

  function runOnce(): Promise<DatasetSyncSummary[]> {
    running ??= cycle().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => log.error(`sync cycle failed: ${(error as Error).message}`))
        .finally(() => schedule(options.everyMs));
    }, delayMs);
    timer.unref();
  }

  schedule(options.firstDelayMs ?? 1000);
  log.info({ every_s: Math.round(options.everyMs / 1000) }, 'sync scheduler started');
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

/** A floating timestamp N days back, as `--since` takes it. */
function daysAgo(days: number): string {
  return `${new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)}T00:00:00.000`;
}
