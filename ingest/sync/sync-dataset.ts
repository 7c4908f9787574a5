import { sourceIdsOf, type DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import { bumpDataVersion } from '../../core/db/data-version.js';
import type { Logger } from '../../core/log.js';
import { recordIngestSummary } from '../../core/metrics.js';
import { SocrataError } from '../socrata/errors.js';
import { createSodaClient, type SodaClientOptions } from '../socrata/client.js';
import type { SyncHooks } from './hooks.js';
import { deferIndexesIfEmpty, restoreDeferredIndexes } from './deferred-indexes.js';
import { tryLockDataset } from './lock.js';
import { markFailed, markStarted, markSucceeded } from './state.js';
import type { DatasetSyncSummary, SourceSyncSummary, SyncPhases, SyncProgress } from './summary.js';
import { planWrites, syncSource, type WritePlan } from './sync-source.js';

export { DEFAULT_PAGE_SIZE } from './sync-source.js';

export interface SyncOptions {
  readonly socrata: Omit<SodaClientOptions, 'onRetry'>;
  readonly log: Logger;
  /** Re-read everything and delete rows the portal no longer has. */
  readonly full?: boolean;
  /** Floating timestamp (see `parseSince`) bounding the read on the dataset's time column. */
  readonly since?: string | undefined;
  readonly pageSize?: number;
  readonly hooks?: SyncHooks;
  readonly onProgress?: (progress: SyncProgress) => void;
  /**
   * Asked before each page's write starts: once it answers true no new write begins, the write in
   * flight commits and is reported (with `betweenPages`), and the source ends without its deletion
   * sweep (a stopped full pass has not seen every row).
   */
  readonly stopRequested?: () => boolean;
  /** Where `LAKEFRONT_SOURCES_<KEY>` overrides are read. */
  readonly env?: NodeJS.ProcessEnv;
  /** Retries and failures go to debug: the caller (the scheduler) reports them its own way. */
  readonly quiet?: boolean;
}

/**
 * Brings one dataset up to date with the portal, every portal id in turn, under the dataset's
 * advisory lock. Never throws for a sync failure: the summary says what happened.
 */
export async function syncDataset(db: Database, dataset: DatasetDefinition, options: SyncOptions): Promise<DatasetSyncSummary> {
  const started = Date.now();
  const { log } = options;
  const summary: DatasetSyncSummary = { dataset: dataset.key, status: 'synced', full: Boolean(options.full), since: options.since, sources: [], retries: 0, durationMs: 0, phases: { fetchMs: 0, parseMs: 0, writeMs: 0, indexMs: 0 } };
  const release = await tryLockDataset(db, dataset.key);
  if (!release) {
    summary.status = 'locked';
    log.info({ dataset: dataset.key }, `another worker is syncing ${dataset.key}; skipped`);
    return summary;
  }
  let current: SourceSyncSummary | undefined;
  const client = createSodaClient({
    ...options.socrata,
    onRetry: (notice) => {
      summary.retries += 1;
      log[options.quiet ? 'debug' : 'warn']({ dataset: dataset.key, source: notice.portalId, attempt: notice.attempt, retries_left: notice.retriesLeft }, `retrying: ${notice.reason}`);
      if (current) report(options, dataset, summary, current);
    },
  });
  try {
    const plan = await planWrites(db.knex, dataset, Boolean(options.hooks?.enricher));
    // An earlier run that died mid-load left its indexes journaled: rebuilt before anything else.
    const recovered = await timed(summary, 'indexMs', () => restoreDeferredIndexes(db, dataset));
    if (recovered) log.warn({ dataset: dataset.key }, `rebuilt the indexes an interrupted load of ${dataset.key} had deferred`);
    // Into an empty table: load first, index after (ingest/sync/deferred-indexes.ts).
    const intoEmptyTable = await deferIndexesIfEmpty(db, dataset);
    try {
      await syncSources({ ...plan, intoEmptyTable });
    } catch (error) {
      // The table must not stay without its indexes: rebuilt now, or else by the next run's step 1.
      if (intoEmptyTable) {
        await timed(summary, 'indexMs', () => restoreDeferredIndexes(db, dataset)).catch((restore: unknown) =>
          log.warn({ dataset: dataset.key }, `could not rebuild the deferred indexes; the next sync will: ${safeMessage(restore, options)}`),
        );
      }
      throw error;
    }
    if (intoEmptyTable) await timed(summary, 'indexMs', () => restoreDeferredIndexes(db, dataset));
    summary.durationMs = Date.now() - started;
    if (keptPreviousLayer(dataset, summary)) {
      // Recomputing from a layer that did not change would only cost time; the stored polygons stand.
      log.warn({ dataset: dataset.key }, `${dataset.key}: no polygon received; geo columns keep the previous boundaries`);
    } else {
      await options.hooks?.afterSync?.(dataset, summary);
    }
  } catch (error) {
    summary.status = 'failed';
    summary.error = safeMessage(error, options);
    summary.unreachable = error instanceof SocrataError && (error.failure === 'network' || error.failure === 'unreachable');
    log[options.quiet ? 'debug' : 'error']({ dataset: dataset.key, source: current?.sourceId }, `sync of ${dataset.key} failed: ${summary.error}`);
  } finally {
    // The API's ETags follow this (core/db/data-version.ts), also after a failure: the pages
    // written before it are served. A sync that changed and deleted nothing keeps them, even if it
    // read rows again (a full pass, the rows tied at the watermark).
    if (summary.sources.some((source) => source.rowsChanged > 0 || source.deleted > 0)) {
      await bumpDataVersion(db.knex, [dataset.key]).catch((error: unknown) => log.warn({ dataset: dataset.key }, `could not move the data version: ${safeMessage(error, options)}`));
    }
    try {
      await release();
    } catch (error) {
      // The lock is session-scoped: a connection that failed took the lock with it.
      log.warn({ dataset: dataset.key }, `could not release the sync lock: ${safeMessage(error, options)}`);
    }
  }
  summary.durationMs = Date.now() - started;
  recordIngestSummary(summary);
  if (summary.status === 'synced') {
    const rows = summary.sources.reduce((total, source) => total + source.rowsRead, 0);
    log.info({ dataset: dataset.key, rows_read: rows, retries: summary.retries, duration_ms: summary.durationMs }, `synced ${dataset.key}`);
  }
  return summary;

  async function syncSources(plan: WritePlan): Promise<void> {
    for (const sourceId of sourceIdsOf(dataset, options.env)) {
      current = { sourceId, rowsRead: 0, rowsChanged: 0, pages: 0, rowsTotal: 0, deleted: 0, malformedValues: 0, rejectedRows: 0, keyCollisions: 0, polygons: 0, schemaDrift: null, watermark: null };
      summary.sources.push(current);
      const sourceStarted = Date.now();
      await markStarted(db.knex, dataset.key, sourceId, new Date(sourceStarted));
      try {
        await syncSource(db, client, plan, current, summary, options);
      } catch (error) {
        const failure = { error: safeMessage(error, options), durationMs: Date.now() - sourceStarted, keyCollisions: current.keyCollisions, schemaDrift: current.schemaDrift };
        try {
          await markFailed(db.knex, dataset.key, sourceId, failure);
        } catch (bookkeeping) {
          // The sync's own error is the one to report; the lost bookkeeping is said beside it.
          log.warn({ dataset: dataset.key, source: sourceId }, `could not record the failure in sync_state: ${safeMessage(bookkeeping, options)}`);
        }
        throw error;
      }
      await markSucceeded(db.knex, dataset.key, sourceId, {
        rowsTotal: current.rowsTotal,
        durationMs: Date.now() - sourceStarted,
        keyCollisions: current.keyCollisions,
        schemaDrift: current.schemaDrift,
      });
    }
  }
}

/** A boundary sync that read rows but not one polygon left the stored boundaries as they were. */
function keptPreviousLayer(dataset: DatasetDefinition, summary: DatasetSyncSummary): boolean {
  const read = summary.sources.reduce((total, source) => total + source.rowsRead, 0);
  return Boolean(dataset.geometryColumn) && read > 0 && summary.sources.every((source) => source.polygons === 0);
}

function report(options: SyncOptions, dataset: DatasetDefinition, summary: DatasetSyncSummary, source: SourceSyncSummary): void {
  const rows = summary.sources.reduce((total, item) => total + item.rowsRead, 0);
  const pages = summary.sources.reduce((total, item) => total + item.pages, 0);
  options.onProgress?.({ dataset: dataset.key, sourceId: source.sourceId, rows, pages, retries: summary.retries });
}

/** One line, and never the app token, whatever produced the error. */
export function safeMessage(error: unknown, options: SyncOptions): string {
  let message = error instanceof Error ? error.message : String(error);
  const token = options.socrata.appToken;
  if (token) message = message.replaceAll(token, '[redacted]');
  return message.replace(/\s+/g, ' ').trim();
}

/** Adds the time `work` takes to one of the summary's phases. */
async function timed<T>(summary: DatasetSyncSummary, phase: keyof SyncPhases, work: () => Promise<T>): Promise<T> {
  const began = performance.now();
  try {
    return await work();
  } finally {
    summary.phases[phase] += performance.now() - began;
  }
}
