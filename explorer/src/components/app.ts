import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { loadCatalog, type DatasetInfo } from '../catalog.js';
import { useLoad } from '../hooks.js';
import { pageParams, sdkParams } from '../query.js';
import { useRowCount } from '../row-count.js';
import { datasetApi } from '../sdk.js';
import { toggleFilter, withDataset, withRange, type ViewState } from '../state.js';
import { useUrlState } from '../url-state.js';
import { AreaMap } from './area-map.js';
import { Chart } from './chart.js';
import { Chips } from './chips.js';
import { ExportBar } from './export-bar.js';
import { Facets } from './facets.js';
import { Picker } from './picker.js';
import { RowsTable } from './rows-table.js';
import { TimeRange } from './time-range.js';

/** The dataset shown when the URL names none (or one the API does not serve): the largest. */
function defaultDataset(catalog: DatasetInfo[]): DatasetInfo | undefined {
  return [...catalog].sort((a, b) => b.rowCount - a.rowCount)[0];
}

export function App() {
  const [state, navigate] = useUrlState();
  // Not timed on its own: the first view's loads settle the first render, which includes it.
  const catalog = useLoad('catalog', loadCatalog, { timed: false });
  const dataset = catalog.data?.find((entry) => entry.key === state.dataset);

  useEffect(() => {
    if (!catalog.data || dataset) return;
    const fallback = defaultDataset(catalog.data);
    if (fallback) navigate(withDataset(state, fallback.key), { replace: true });
  }, [catalog.data, dataset]);

  if (catalog.error) return html`<main class="fatal"><h1>Lakefront explorer</h1><p class="error">Could not load the datasets: ${catalog.error.message}</p></main>`;
  if (!catalog.data || !dataset) return html`<main class="fatal"><h1>Lakefront explorer</h1><p aria-live="polite">Loading datasets…</p></main>`;
  return html`<${View} catalog=${catalog.data} dataset=${dataset} state=${state} navigate=${navigate} />`;
}

interface ViewProps {
  catalog: DatasetInfo[];
  dataset: DatasetInfo;
  state: ViewState;
  navigate: ReturnType<typeof useUrlState>[1];
}

function View({ catalog, dataset, state, navigate }: ViewProps) {
  const api = datasetApi(dataset.sdkName);
  const params = pageParams(dataset, state);
  // The page of rows alone: its count comes from the aggregate endpoint (row-count.ts).
  const page = useLoad(api ? JSON.stringify(['rows', dataset.key, params]) : null, (signal) => api!.list(sdkParams(params), { signal }));
  const count = useRowCount(dataset, state);
  // The count of this view only: a previous view's count, kept on screen while this one loads, must
  // not decide whether the map asks for points.
  const total = count.loading || count.error ? undefined : count.data;
  const toggle = (column: string, value: string) => navigate(toggleFilter(state, column, value), { label: 'filter' });
  const setRange = (from: string | null, to: string | null) => navigate(withRange(state, from, to), { label: 'time range' });

  return html`
    <header class="top">
      <h1><a href="/explore">Lakefront explorer</a></h1>
      <${Picker} catalog=${catalog} current=${dataset} onPick=${(key: string) => navigate(withDataset(state, key), { label: 'dataset' })} />
      <nav class="links" aria-label="Elsewhere"><a href="/docs">API docs</a></nav>
    </header>
    <main class="layout">
      <aside class="side" aria-label="Filters">
        ${dataset.timeColumn && html`<${TimeRange} from=${state.from} to=${state.to} onChange=${setRange} />`}
        <${Facets} dataset=${dataset} state=${state} onToggle=${toggle} />
      </aside>
      <div class="content">
        <${Chips} state=${state} onRemove=${toggle} onClearRange=${() => setRange(null, null)} />
        <div class="visuals">
          <${Chart}
            dataset=${dataset}
            state=${state}
            onRange=${setRange}
            onView=${(chart: ViewState['chart']) => navigate({ ...state, chart }, { label: 'chart view' })}
          />
          ${dataset.points &&
          html`<${AreaMap}
            dataset=${dataset}
            state=${state}
            total=${total}
            onToggleArea=${toggle}
            onAreas=${(areas: ViewState['areas']) => navigate({ ...state, areas }, { label: 'map areas' })}
          />`}
        </div>
        <${RowsTable}
          page=${page}
          count=${count}
          firstPage=${!state.cursor}
          onNext=${(cursor: string) => navigate({ ...state, cursor }, { label: 'next page' })}
          onFirst=${() => navigate({ ...state, cursor: null }, { label: 'first page' })}
        />
        <${ExportBar} dataset=${dataset} state=${state} />
      </div>
    </main>
  `;
}
