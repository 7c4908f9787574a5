import { datasets, sourceIdsOf } from '../../../core/datasets/index.js';
import type { AppDeps } from '../deps.js';
import type { Handler } from '../operations.js';

interface SyncSummary {
  dataset: string;
  row_count: number | null;
  last_loaded_at: string | null;
}

/** Row counts come from the sync bookkeeping: counting 8M rows per request is not an option. */
export function listDatasets({ db }: AppDeps): Handler<'listDatasets'> {
  return async () => {
    const summaries = (await db
      .knex('api.sync_state')
      .select('dataset')
      .sum({ row_count: 'rows_total' })
      .max({ last_loaded_at: 'last_success_at' })
      .groupBy('dataset')) as SyncSummary[];
    const byKey = new Map(summaries.map((summary) => [summary.dataset, summary]));
    return {
      data: datasets.map((dataset) => {
        const summary = byKey.get(dataset.key);
        return {
          key: dataset.key,
          title: dataset.title,
          source_ids: sourceIdsOf(dataset),
          row_count: Number(summary?.row_count ?? 0),
          last_loaded_at: summary?.last_loaded_at ?? null,
        };
      }),
    };
  };
}
