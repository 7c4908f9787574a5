import type { Watermark } from '../socrata/soql.js';

export interface SourceSyncSummary {
  readonly sourceId: string;
  /** Rows received from the portal in this run. */
  rowsRead: number;
  pages: number;
  /** Rows of this source in the table after the sync. */
  rowsTotal: number;
  /** Rows removed because the portal no longer has them (`--full` only). */
  deleted: number;
  /** Values that could not be converted and were stored as NULL. */
  malformedValues: number;
  /** Rows that could not be stored at all because their primary key was missing or malformed. */
  rejectedRows: number;
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
  /** One line, no secrets. */
  error?: string;
  /** The failure was the portal being unreachable (offline, DNS, refused), not a bad answer. */
  unreachable?: boolean;
}

/** What a progress display needs, reported after every page. */
export interface SyncProgress {
  readonly dataset: string;
  readonly sourceId: string;
  readonly rows: number;
  readonly pages: number;
  readonly retries: number;
}
