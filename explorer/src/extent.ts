/*
 * The days a dataset's rows span (first day, and the day after the last), read once per dataset
 * from its list ordered both ways: the chart's range when the view sets none.
 */
import type { DatasetInfo } from './catalog.js';
import { dayAfter } from './buckets.js';
import { datasetApi } from './sdk.js';

export interface Extent {
  from: string;
  to: string;
}

const cache = new Map<string, Promise<Extent | null>>();

export function loadExtent(dataset: DatasetInfo): Promise<Extent | null> {
  let extent = cache.get(dataset.key);
  if (!extent) {
    extent = readExtent(dataset);
    extent.catch(() => cache.delete(dataset.key));
    cache.set(dataset.key, extent);
  }
  return extent;
}

async function readExtent(dataset: DatasetInfo): Promise<Extent | null> {
  const api = datasetApi(dataset.sdkName);
  const column = dataset.timeColumn;
  if (!api || !column) return null;
  const edge = async (order: string) => {
    const page = await api.list({ order, limit: 1, fields: [column] });
    const value = page.data[0]?.[column];
    return typeof value === 'string' ? value.slice(0, 10) : undefined;
  };
  const [first, last] = await Promise.all([edge(column), edge(`-${column}`)]);
  return first && last ? { from: first, to: dayAfter(last) } : null;
}
