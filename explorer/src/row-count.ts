/*
 * How many rows match the view's filters: the table's "N match", and what decides whether the map
 * draws points. Asked of the aggregate endpoint with no group_by (one `count` over exactly the
 * list's filters, so it equals the list's `count=exact`), which answers it from its rollups where
 * they hold it, instead of counting the table. Keyed on the filters alone: paging does not count
 * again. A dataset without an aggregate endpoint falls back to the list's `count=exact`.
 */
import type { DatasetInfo } from './catalog.js';
import { useLoad, type Loaded } from './hooks.js';
import { filterParams, sdkParams } from './query.js';
import { datasetApi } from './sdk.js';
import type { ViewState } from './state.js';

export function useRowCount(dataset: DatasetInfo, state: ViewState): Loaded<number> {
  const api = datasetApi(dataset.sdkName);
  const params = filterParams(dataset, state);
  return useLoad(api ? JSON.stringify(['count', dataset.key, params]) : null, async (signal) => {
    if (api!.aggregate) {
      const answer = await api!.aggregate(sdkParams(params), { signal });
      return answer.data[0]?.count ?? 0;
    }
    const page = await api!.list(sdkParams({ ...params, limit: 1, count: 'exact' }), { signal });
    return page.total ?? 0;
  });
}
