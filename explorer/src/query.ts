/*
 * The current view as API parameters. Every request of the page, and every export it offers,
 * starts from `filterParams`: the table, facets, chart, map, curl, SDK code and CSV agree.
 */
import type { DatasetInfo } from './catalog.js';
import { camel, type Params } from './sdk.js';
import type { ViewState } from './state.js';

/** Rows per page of the table (and of the copied curl, which returns the page shown). */
export const PAGE_SIZE = 50;

/** The filters in API (snake_case) names; `except` leaves out one column's own filter. */
export function filterParams(dataset: DatasetInfo, state: ViewState, except?: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  if (dataset.timeColumn && state.from) params.from = state.from;
  if (dataset.timeColumn && state.to) params.to = state.to;
  for (const [name, values] of Object.entries(state.filters)) {
    if (name !== except && values.length && dataset.filters.includes(name)) params[name] = values;
  }
  return params;
}

/** The parameters of the table's page, in API names. */
export function pageParams(dataset: DatasetInfo, state: ViewState): Record<string, string | string[] | number> {
  return { ...filterParams(dataset, state), limit: PAGE_SIZE, ...(state.cursor ? { cursor: state.cursor } : {}) };
}

/** API names → the SDK's camelCase parameters. */
export function sdkParams(params: Record<string, unknown>): Params {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [camel(name), value]));
}
