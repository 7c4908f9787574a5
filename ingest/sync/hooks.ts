import type { DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import type { Logger } from '../../core/log.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import type { GeoBoundaries } from '../enrich/row-enricher.js';
import { createGeoSyncHooks } from '../enrich/sync-hooks.js';
import type { DbValue } from '../soda-values.js';
import type { DatasetSyncSummary } from './summary.js';

/**
 * Extension points of the sync, filled by other parts of Lakefront (geo enrichment, report
 * rollups). The sync calls them; it does not know what they do.
 */
export interface RowEnricher {
  /**
   * Called for every mapped row of a dataset with a `point`, before the row is staged. May set
   * the GEO_COLUMNS (`geo_zip`, `geo_community_area`) in `values`; those columns are written
   * only when an enricher is present and the table has them.
   */
  enrich(dataset: DatasetDefinition, values: Record<string, DbValue>): void;
  /**
   * What `enrich` sets, for one point (longitude, latitude as `enrich` reads them from the row),
   * so the sync's compiled row encoder needs no values record. Without it, rows of a dataset with
   * a point are encoded through the general path (mapSodaRow, then `enrich`).
   */
  geoValues?(longitude: unknown, latitude: unknown): { readonly zip: string | null; readonly communityArea: number | null };
  /**
   * Its boundaries as plain data, so the sync can build the same enricher in the thread that
   * decodes pages. An enricher without it keeps decoding on the main thread.
   */
  boundaries?(): GeoBoundaries;
}

export interface SyncHooks {
  readonly enricher?: RowEnricher;
  /** Called after each successful sync of a dataset (not when it failed or was locked). */
  readonly afterSync?: (dataset: DatasetDefinition, summary: DatasetSyncSummary) => Promise<void>;
}

/** The hooks every sync runs with. Extend here; the sync engine calls this once per run. */
export async function createSyncHooks(db: Database, log?: Logger): Promise<SyncHooks> {
  const geo = await createGeoSyncHooks(db, log);
  return {
    enricher: geo.enricher,
    afterSync: async (dataset, summary) => {
      await geo.afterSync?.(dataset, summary);
      // New boundaries recompute every dataset's geo_zip (above), so every rollup is stale then.
      await refreshRollups(db, dataset.geometryColumn ? undefined : [dataset.key]);
    },
  };
}
