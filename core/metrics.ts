import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Process-wide Prometheus metrics that are not tied to one HTTP app: the Node process itself and
 * the ingest. The sync engine calls the `record…` functions below; `GET /metrics` merges this
 * registry with the app's own (HTTP and pool metrics), so whatever runs in the server process
 * shows up there. A sync run in another process (`npx lakefront sync`) still reaches /metrics
 * through `lakefront.sync_state`, which the server reads at scrape time (see server metrics).
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'lakefront_' });

const ingestRows = new Counter({
  name: 'lakefront_ingest_rows_total',
  help: 'Rows written (inserted or updated) by the ingest, per dataset.',
  labelNames: ['dataset'] as const,
  registers: [processRegistry],
});

const ingestRetries = new Counter({
  name: 'lakefront_ingest_retries_total',
  help: 'Portal requests the ingest retried (429, 5xx, network errors), per dataset.',
  labelNames: ['dataset'] as const,
  registers: [processRegistry],
});

const ingestRuns = new Counter({
  name: 'lakefront_ingest_runs_total',
  help: 'Finished sync runs per dataset and outcome (success or failure).',
  labelNames: ['dataset', 'outcome'] as const,
  registers: [processRegistry],
});

const ingestDuration = new Histogram({
  name: 'lakefront_ingest_run_duration_seconds',
  help: 'Wall time of a sync run per dataset.',
  labelNames: ['dataset'] as const,
  buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600],
  registers: [processRegistry],
});

const ingestLastSuccess = new Gauge({
  name: 'lakefront_ingest_run_last_success_timestamp_seconds',
  help: 'Unix time of the last successful sync run of this process, per dataset.',
  labelNames: ['dataset'] as const,
  registers: [processRegistry],
});

/** A batch of rows reached the database (call after its transaction commits). */
export function recordIngestRows(dataset: string, rows: number): void {
  if (rows > 0) ingestRows.inc({ dataset }, rows);
}

/** One portal request is being retried. */
export function recordIngestRetry(dataset: string): void {
  ingestRetries.inc({ dataset });
}

/** A sync run of one dataset ended. */
export function recordIngestRun(dataset: string, outcome: 'success' | 'failure', durationMs: number): void {
  ingestRuns.inc({ dataset, outcome });
  ingestDuration.observe({ dataset }, durationMs / 1000);
  if (outcome === 'success') ingestLastSuccess.set({ dataset }, Date.now() / 1000);
}

/** What the sync engine knows at the end of a run of one dataset (a `DatasetSyncSummary`). */
export interface IngestRunSummary {
  readonly dataset: string;
  readonly status: string;
  readonly retries: number;
  readonly durationMs: number;
  readonly sources: readonly { readonly rowsRead: number }[];
}

/** Records a finished sync run: rows, retries, duration, outcome. A skipped (locked) run is not a run. */
export function recordIngestSummary(summary: IngestRunSummary): void {
  if (summary.status === 'locked') return;
  recordIngestRows(summary.dataset, summary.sources.reduce((total, source) => total + source.rowsRead, 0));
  if (summary.retries > 0) ingestRetries.inc({ dataset: summary.dataset }, summary.retries);
  recordIngestRun(summary.dataset, summary.status === 'synced' ? 'success' : 'failure', summary.durationMs);
}
