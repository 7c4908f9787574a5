import { Writable } from 'node:stream';
import { datasets } from '../../core/datasets/index.js';
import { createLogger, logFormatFor } from '../../core/log.js';
import { syncDatasets } from '../../ingest/sync/run.js';
import { parseSince } from '../../ingest/sync/since.js';
import type { DatasetSyncSummary } from '../../ingest/sync/summary.js';
import { openDatabase, type CliContext } from '../context.js';
import { stopBetweenBatches } from '../graceful-stop.js';
import { migrateUnlessRestricted } from '../migrate-unless-restricted.js';
import { createProgressDisplay } from '../sync-progress.js';
import { requireDataset } from './load-sample.js';

export interface SyncCommandOptions {
  readonly full?: boolean;
  readonly since?: string;
  readonly pageSize?: number;
}

/**
 * `lakefront sync [dataset...]`: one pass over the named datasets (all when none is named). A
 * dataset another worker is syncing is skipped with a message (exit 0); any failure exits 1.
 */
export async function syncCommand(context: CliContext, keys: string[], options: SyncCommandOptions): Promise<void> {
  const selected = keys.length ? keys.map(requireDataset) : [...datasets];
  const since = options.since === undefined ? undefined : parseSince(options.since);
  const tty = Boolean(process.stderr.isTTY);
  const progress = tty ? createProgressDisplay(selected.map((dataset) => dataset.key)) : undefined;
  // On a terminal the progress lines speak; only warnings are logged, printed above them.
  const log = progress ? createLogger({ level: 'warn', destination: lineWriter(progress.log), format: logFormatFor() }) : context.log;
  const db = await openDatabase({ ...context, log });
  const stop = stopBetweenBatches(log, () => db.close());
  let summaries: DatasetSyncSummary[];
  try {
    await migrateUnlessRestricted(db, log);
    summaries = await syncDatasets(db, selected, {
      socrata: { baseUrl: context.config.socrataUrl, appToken: context.config.socrataAppToken },
      log,
      full: options.full,
      since,
      pageSize: options.pageSize,
      stopRequested: stop.requested,
      onProgress: (update) => {
        progress?.update(update);
        // Only where no page is being written: a write in flight would commit unreported.
        if (update.betweenPages) stop.checkpoint();
      },
    });
  } finally {
    stop.dispose();
    progress?.stop();
    await db.close();
  }
  if (tty) for (const summary of summaries) process.stderr.write(`${describe(summary)}\n`);
  const failed = summaries.filter((summary) => summary.status === 'failed');
  if (failed.length) throw new Error(failed.map((summary) => `${summary.dataset}: ${summary.error}`).join('; '));
}

function lineWriter(write: (line: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      write(chunk.toString());
      done();
    },
  });
}

function describe(summary: DatasetSyncSummary): string {
  if (summary.status === 'locked') return `${summary.dataset}: skipped, another worker is syncing it`;
  if (summary.status === 'failed') return `${summary.dataset}: FAILED: ${summary.error}`;
  const read = summary.sources.reduce((total, source) => total + source.rowsRead, 0);
  const total = summary.sources.reduce((sum, source) => sum + source.rowsTotal, 0);
  const deleted = summary.sources.reduce((sum, source) => sum + source.deleted, 0);
  const parts = [`${read.toLocaleString('en-US')} rows read`, `${total.toLocaleString('en-US')} rows stored`];
  if (summary.full) parts.push(`${deleted.toLocaleString('en-US')} deleted`);
  parts.push(`${summary.retries} retries`, `${(summary.durationMs / 1000).toFixed(1)} s`);
  return `${summary.dataset}: ${parts.join(', ')}`;
}
