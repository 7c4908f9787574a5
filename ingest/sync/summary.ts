import type { Watermark } from '../socrata/soql.js';

export interface SourceSyncSummary {
  readonly sourceId: string;
  /** Rows received from the portal in this run. */
  rowsRead: number;
  /** Rows inserted, or updated to values they did not hold (a re-read row that is unchanged is not counted). */
  rowsChanged: number;
  pages: number;
  /** Rows of this source in the table after the sync. */
  rowsTotal: number;
  /** Rows removed because the portal no longer has them (`--full` only). */
  deleted: number;
  /** Values that could not be converted and were stored as NULL. */
  malformedValues: number;
  /** Rows set aside in the rejects table: no usable primary key, or refused by the database. */
  rejectedRows: number;
  /** Times two different portal rows (different `:id`) carried one key. */
  keyCollisions: number;
  /** Rows carrying a usable geometry (boundary datasets): zero means the stored boundaries were kept. */
  polygons: number;
  /** The portal's columns against the definition, one line; null when they match. */
  schemaDrift: string | null;
  watermark: Watermark | null;
}

export type SyncStatus = 'synced' | 'locked' | 'failed';

export interface DatasetSyncSummary {
  readonly dataset: string;
  status: SyncStatus;
  readonly full: boolean;
  readonly since?: string | undefined;
  readonly sources: SourceSyncSummary[];
  retries: number;
  durationMs: number;
  /**
   * Where the time went. Fetch, parse and write overlap (the pipeline runs them at once), so each
   * is that stage's own busy time, not a share of `durationMs`; index is the rebuild after a load
   * into an empty table, which nothing overlaps.
   */
  readonly phases: SyncPhases;
  /** One line, no secrets. */
  error?: string;
  /** The failure was the portal being unreachable (offline, DNS, refused), not a bad answer. */
  unreachable?: boolean;
}

export interface SyncPhases {
  /** Waiting for the portal: request and body. */
  fetchMs: number;
  /** JSON.parse, mapping, enrichment and COPY encoding. */
  parseMs: number;
  /** Database writes of the pages: COPY or stage and upsert, rejects, watermark. */
  writeMs: number;
  /** Rebuilding the secondary indexes (and trigger work) deferred by a load into an empty table. */
  indexMs: number;
}

/** What a progress display needs, reported after every page. */
export interface SyncProgress {
  readonly dataset: string;
  readonly sourceId: string;
  readonly rows: number;
  readonly pages: number;
  readonly retries: number;
  /**
   * True where no page is being written (each page's write has committed and been counted): the
   * only places a stopping process may end without leaving a committed page unreported.
   */
  readonly betweenPages?: boolean;
}
