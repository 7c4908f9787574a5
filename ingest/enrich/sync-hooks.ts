import type { DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import type { Logger } from '../../core/log.js';
import type { DatasetSyncSummary } from '../sync/summary.js';
import { isBoundaryDataset } from './boundary-layers.js';
import { recomputeEnrichment } from './recompute.js';
import { RowEnricher } from './row-enricher.js';

export interface GeoSyncHooks {
  /** Fills the geo columns of rows as the sync maps them. */
  readonly enricher: RowEnricher;
  /** After a boundary dataset changed: reload the boundaries and recompute every dataset with a point. */
  readonly afterSync: (dataset: DatasetDefinition, summary: DatasetSyncSummary) => Promise<void>;
}

export async function createGeoSyncHooks(db: Database, log?: Logger): Promise<GeoSyncHooks> {
  const enricher = await RowEnricher.load(db.knex, log);
  return {
    enricher,
    afterSync: async (dataset, summary) => {
      if (!isBoundaryDataset(dataset) || !boundariesChanged(summary)) return;
      // Later datasets of the same run are enriched with the new boundaries too.
      await enricher.reload(db.knex, log);
      await recomputeEnrichment(db, undefined, { enricher, ...(log ? { log } : {}) });
    },
  };
}

/** A run that read and deleted nothing left the boundaries as they were. */
function boundariesChanged(summary: DatasetSyncSummary): boolean {
  return summary.sources.some((source) => source.rowsRead > 0 || source.deleted > 0);
}
