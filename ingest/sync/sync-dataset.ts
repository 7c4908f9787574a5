import { sourceIdsOf, type DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import type { Logger } from '../../core/log.js';
import { recordIngestSummary } from '../../core/metrics.js';
import { SocrataError } from '../socrata/errors.js';
import { createSodaClient, type SodaClient, type SodaClientOptions } from '../socrata/client.js';
import type { SyncHooks } from './hooks.js';
import { tryLockDataset } from './lock.js';
import { encodePage } from './encode-page.js';
import { readPages } from './pages.js';
import { sinceCondition } from './since.js';
import { markFailed, markStarted, markSucceeded, readWatermark } from './state.js';
import type { Watermark } from '../socrata/soql.js';
import type { DatasetSyncSummary, SourceSyncSummary, SyncProgress } from './summary.js';
import { tableOf } from './sql.js';
import { clearSeen, sweepUnseen } from './sweep.js';
import { planWrites, writePage, type WritePlan } from './writer.js';

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
  /** Where `LAKEFRONT_SOURCES_<KEY>` overrides are read. */
  readonly env?: NodeJS.ProcessEnv;
  /** Retries and failures go to debug: the caller (the scheduler) reports them its own way. */
  readonly quiet?: boolean;
}

/** Rows per request: two pages in memory stay well under 100 MB of heap. */
export const DEFAULT_PAGE_SIZE = 10_000;

/**
 * Brings one dataset up to date with the portal, every portal id in turn, under the dataset's
 * advisory lock. Never throws for a sync failure: the summary says what happened.
 */
export async function syncDataset(db: Database, dataset: DatasetDefinition, options: SyncOptions): Promise<DatasetSyncSummary> {
  const started = Date.now();
  const { log } = options;
  const summary: DatasetSyncSummary = { dataset: dataset.key, status: 'synced', full: Boolean(options.full), since: options.since, sources: [], retries: 0, durationMs: 0 };
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
    for (const sourceId of sourceIdsOf(dataset, options.env)) {
      current = { sourceId, rowsRead: 0, pages: 0, rowsTotal: 0, deleted: 0, malformedValues: 0, rejectedRows: 0, watermark: null };
      summary.sources.push(current);
      const sourceStarted = Date.now();
      await markStarted(db.knex, dataset.key, sourceId, new Date(sourceStarted));
      try {
        await syncSource(db, client, plan, current, summary, options);
      } catch (error) {
        await markFailed(db.knex, dataset.key, sourceId, { error: safeMessage(error, options), durationMs: Date.now() - sourceStarted }).catch(() => undefined);
        throw error;
      }
      await markSucceeded(db.knex, dataset.key, sourceId, { rowsTotal: current.rowsTotal, durationMs: Date.now() - sourceStarted });
    }
    summary.durationMs = Date.now() - started;
    await options.hooks?.afterSync?.(dataset, summary);
  } catch (error) {
    summary.status = 'failed';
    summary.error = safeMessage(error, options);
    summary.unreachable = error instanceof SocrataError && error.failure === 'network';
    log[options.quiet ? 'debug' : 'error']({ dataset: dataset.key, source: current?.sourceId }, `sync of ${dataset.key} failed: ${summary.error}`);
  } finally {
    await release().catch(() => undefined);
  }
  summary.durationMs = Date.now() - started;
  recordIngestSummary(summary);
  if (summary.status === 'synced') {
    const rows = summary.sources.reduce((total, source) => total + source.rowsRead, 0);
    log.info({ dataset: dataset.key, rows_read: rows, retries: summary.retries, duration_ms: summary.durationMs }, `synced ${dataset.key}`);
  }
  return summary;
}

async function syncSource(db: Database, client: SodaClient, plan: WritePlan, source: SourceSyncSummary, summary: DatasetSyncSummary, options: SyncOptions): Promise<void> {
  const { dataset } = plan;
  const { sourceId } = source;
  const full = Boolean(options.full);
  const start = full ? undefined : await readWatermark(db.knex, dataset.key, sourceId);
  source.watermark = start ?? null;
  if (full) await clearSeen(db.knex, dataset, sourceId);
  const filter = options.since ? sinceCondition(dataset, options.since) : undefined;
  const began = Date.now();
  report(options, dataset, summary, source);
  const pages = readPages(client, sourceId, { start, filter, pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE }, (rows) =>
    encodePage(dataset, plan.columns, sourceId, rows, options.log, options.hooks?.enricher),
  );
  // Two pages in flight: page N+1 is staged while page N is upserted; commits stay in order.
  let inFlight: Promise<void> | undefined;
  const settle = async (write: Promise<void>, page: { count: number; prepared: { malformedValues: number; rejectedRows: number }; watermark: Watermark }) => {
    await write;
    source.rowsRead += page.count;
    source.pages += 1;
    source.malformedValues += page.prepared.malformedValues;
    source.rejectedRows += page.prepared.rejectedRows;
    source.watermark = page.watermark;
    const seconds = Math.max(0.001, (Date.now() - began) / 1000);
    options.log.info(
      { dataset: dataset.key, source: sourceId, page: source.pages, rows: source.rowsRead, rows_per_s: Math.round(source.rowsRead / seconds), retries: summary.retries },
      'page written',
    );
    report(options, dataset, summary, source);
  };
  try {
    for await (const page of pages) {
      const write = writePage(db, plan, page.prepared, { sourceId, watermark: page.watermark, recordSeen: full }, inFlight ?? Promise.resolve());
      write.catch(() => undefined); // awaited below; a failure must not surface as unhandled first
      const previous = inFlight;
      inFlight = settle(write, page);
      inFlight.catch(() => undefined);
      await previous;
    }
    await inFlight;
  } catch (error) {
    await inFlight?.catch(() => undefined);
    throw error;
  }
  if (full) {
    source.deleted = await sweepUnseen(db.knex, dataset, sourceId, options.since);
    if (source.deleted) options.log.info({ dataset: dataset.key, source: sourceId, deleted: source.deleted }, 'removed rows the portal no longer has');
  }
  const result = await db.knex.raw(`SELECT count(*)::bigint AS rows FROM ${tableOf(dataset)} WHERE _source_id = ?`, [sourceId]);
  source.rowsTotal = Number(result.rows[0].rows);
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
