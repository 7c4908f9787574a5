import { migrateLatest } from '../../core/db/migrate.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { pointDatasets, recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { RowEnricher } from '../../ingest/enrich/row-enricher.js';
import { openDatabase, type CliContext } from '../context.js';
import { requireDataset } from './load-sample.js';

/** `lakefront enrich [dataset...]`: recomputes geo_zip/geo_community_area from the stored boundaries. */
export async function enrichCommand(context: CliContext, keys: string[]): Promise<void> {
  const selected = keys.length ? keys.map(requireDataset) : pointDatasets();
  for (const dataset of selected) {
    if (!dataset.point) throw new Error(`dataset "${dataset.key}" has no coordinates to enrich`);
  }
  const db = await openDatabase(context);
  try {
    await migrateLatest(db.knex);
    const enricher = await RowEnricher.load(db.knex, context.log);
    if (!enricher.hasBoundaries) context.log.warn('no boundaries loaded (sync zip-codes and community-areas first): every geo value will be NULL');
    const summaries = await recomputeEnrichment(db, selected, { enricher, log: context.log });
    for (const summary of summaries) {
      process.stdout.write(`${summary.dataset}: ${summary.scanned} rows checked, ${summary.updated} updated\n`);
    }
    // The reports group by geo_zip: recompute them from the new values.
    await refreshRollups(db, selected.map((dataset) => dataset.key));
  } finally {
    await db.close();
  }
}
