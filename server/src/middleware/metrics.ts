import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processRegistry } from '../../../core/metrics.js';
import type { Database } from '../../../core/db/connect.js';
import { whenClosed } from './when-closed.js';

export interface HttpMetrics {
  /** Counts and times every response by method, route template and status. */
  readonly middleware: RequestHandler;
  /** `GET /metrics`: Prometheus text of this app, the pool, the datasets' sync state and the process. */
  readonly endpoint: RequestHandler;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  max: number;
}

interface SyncRow {
  dataset: string;
  rows_total: number | string | null;
  last_success_at: Date | string | null;
  last_duration_ms: number | null;
}

/** Metrics of one app; a registry per app so tests can build many apps in one process. */
export function createHttpMetrics(db: Database): HttpMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'lakefront_http_requests_total',
    help: 'HTTP responses by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'lakefront_http_request_duration_seconds',
    help: 'Time from request to the end of the response, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  registerPoolGauges(registry, db);
  registerSyncStateGauges(registry, db);

  // prom-client hashes the label values on every call; a handful of series serve every request.
  const series = new Map<string, { requests: { inc(): void }; duration: { observe(value: number): void } }>();
  const seriesOf = (method: string, route: string, statusCode: number) => {
    const key = `${method} ${statusCode} ${route}`;
    let found = series.get(key);
    if (!found) {
      const labels = { method, route, status: String(statusCode) };
      found = { requests: requests.labels(labels), duration: duration.labels(labels) };
      series.set(key, found);
    }
    return found;
  };

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    const method = req.method;
    whenClosed(res, () => {
      // The route template, never the raw URL: raw paths would make one series per request.
      // Requests refused by the validator never reach a route; it still knows the template.
      const validated = (req as { openapi?: { openApiRoute?: string } }).openapi?.openApiRoute;
      const dispatched = res.locals.route as string | undefined; // operations.ts, for exact spec paths
      const route = dispatched ?? (req.route ? `${req.baseUrl}${String(req.route.path)}` : (validated ?? 'unmatched'));
      const series = seriesOf(method, route, res.statusCode);
      series.requests.inc();
      series.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

  const endpoint: RequestHandler = async (_req, res, next) => {
    try {
      const merged = Registry.merge([registry, processRegistry]);
      res.setHeader('Content-Type', merged.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(await merged.metrics());
    } catch (error) {
      next(error);
    }
  };
  return { middleware, endpoint };
}

function registerPoolGauges(registry: Registry, db: Database): void {
  const pool = () => (db.knex.client as { pool?: TarnPool }).pool;
  const gauge = (name: string, help: string, read: (pool: TarnPool) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const current = pool();
        this.set(current ? read(current) : 0);
      },
    });
  gauge('lakefront_db_pool_used', 'Database connections checked out of the pool.', (p) => p.numUsed());
  gauge('lakefront_db_pool_free', 'Idle database connections in the pool.', (p) => p.numFree());
  gauge('lakefront_db_pool_pending_acquires', 'Requests waiting for a database connection.', (p) => p.numPendingAcquires());
  gauge('lakefront_db_pool_pending_creates', 'Database connections being opened.', (p) => p.numPendingCreates());
  gauge('lakefront_db_pool_max', 'Pool size limit.', (p) => p.max);
}

/**
 * Per-dataset ingest state as the database records it, read at scrape time, so a sync that ran
 * in another process (`lakefront sync`, a cron job) is visible here too. Gauges collect in
 * parallel, so one query is shared by the gauges of a scrape.
 */
function registerSyncStateGauges(registry: Registry, db: Database): void {
  let pending: Promise<SyncRow[] | undefined> | undefined;
  const readState = (): Promise<SyncRow[] | undefined> => {
    pending ??= (
      db
        .knex('api.sync_state')
        .select('dataset')
        .sum({ rows_total: 'rows_total' })
        .max({ last_success_at: 'last_success_at' })
        .max({ last_duration_ms: 'last_duration_ms' })
        .groupBy('dataset') as Promise<SyncRow[]>
    )
      .catch(() => undefined)
      .finally(() => setImmediate(() => (pending = undefined)));
    return pending;
  };
  const perDataset = (name: string, help: string, value: (row: SyncRow) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['dataset'] as const,
      registers: [registry],
      async collect() {
        const state = await readState();
        this.reset();
        for (const row of state ?? []) {
          const current = value(row);
          if (current !== undefined) this.set({ dataset: row.dataset }, current);
        }
      },
    });
  perDataset('lakefront_dataset_rows', 'Rows of the dataset after its last sync.', (row) => Number(row.rows_total ?? 0));
  perDataset('lakefront_dataset_last_success_timestamp_seconds', 'Unix time the last successful sync of the dataset finished.', (row) =>
    row.last_success_at ? new Date(row.last_success_at).getTime() / 1000 : undefined,
  );
  perDataset('lakefront_dataset_last_sync_duration_seconds', 'Wall time of the last sync of the dataset.', (row) =>
    row.last_duration_ms === null ? undefined : Number(row.last_duration_ms) / 1000,
  );
  new Gauge({
    name: 'lakefront_dataset_state_readable',
    help: '1 when the sync state could be read for this scrape, 0 when the database did not answer.',
    registers: [registry],
    async collect() {
      this.set((await readState()) ? 1 : 0);
    },
  });
}
