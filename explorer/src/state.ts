/*
 * The page's whole state, and its one spelling: the URL's query string. Filters use the API's own
 * parameter names (`primary_type=THEFT`), one key per value, so a link reads like the API call.
 */

export type ChartView = 'time' | 'dow' | 'hour';
export type AreaKind = 'community' | 'zip';

export interface ViewState {
  dataset: string | null;
  /** Category filters: API parameter → chosen values, in the order they were chosen. */
  filters: Record<string, string[]>;
  /** `from` inclusive and `to` exclusive, `YYYY-MM-DD`, as the API takes them. */
  from: string | null;
  to: string | null;
  chart: ChartView;
  areas: AreaKind;
  /** The rows table's page (`next_cursor` of the page before); null is the first page. */
  cursor: string | null;
}

export const EMPTY_STATE: ViewState = { dataset: null, filters: {}, from: null, to: null, chart: 'time', areas: 'community', cursor: null };

const OWN_KEYS = new Set(['dataset', 'from', 'to', 'chart', 'areas', 'cursor']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseState(search: string): ViewState {
  const query = new URLSearchParams(search);
  const filters: Record<string, string[]> = {};
  for (const [name, value] of query) {
    if (OWN_KEYS.has(name) || value === '') continue;
    const values = (filters[name] ??= []);
    if (!values.includes(value)) values.push(value);
  }
  const date = (name: string) => {
    const value = query.get(name);
    return value && DATE.test(value) ? value : null;
  };
  const chart = query.get('chart');
  return {
    dataset: query.get('dataset') || null,
    filters,
    from: date('from'),
    to: date('to'),
    chart: chart === 'dow' || chart === 'hour' ? chart : 'time',
    areas: query.get('areas') === 'zip' ? 'zip' : 'community',
    cursor: query.get('cursor') || null,
  };
}

/** The query string (with `?`, or empty) that `parseState` reads back as the same state. */
export function stateToSearch(state: ViewState): string {
  const query = new URLSearchParams();
  if (state.dataset) query.set('dataset', state.dataset);
  if (state.from) query.set('from', state.from);
  if (state.to) query.set('to', state.to);
  for (const [name, values] of Object.entries(state.filters)) for (const value of values) query.append(name, value);
  if (state.chart !== 'time') query.set('chart', state.chart);
  if (state.areas !== 'community') query.set('areas', state.areas);
  if (state.cursor) query.set('cursor', state.cursor);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** Adds the value to the column's filter, or removes it when already chosen. Paging starts over. */
export function toggleFilter(state: ViewState, column: string, value: string): ViewState {
  const current = state.filters[column] ?? [];
  const next = current.includes(value) ? current.filter((chosen) => chosen !== value) : [...current, value];
  const filters = { ...state.filters };
  if (next.length) filters[column] = next;
  else delete filters[column];
  return { ...state, filters, cursor: null };
}

export function withRange(state: ViewState, from: string | null, to: string | null): ViewState {
  return { ...state, from, to, cursor: null };
}

/** Another dataset: its filters and range do not carry over; the views do. */
export function withDataset(state: ViewState, dataset: string): ViewState {
  return { ...EMPTY_STATE, chart: state.chart, areas: state.areas, dataset };
}
