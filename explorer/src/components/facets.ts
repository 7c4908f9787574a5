import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import type { DatasetInfo } from '../catalog.js';
import { formatCount, formatValue } from '../format.js';
import { useKeyWhenNear, useLoad } from '../hooks.js';
import { filterParams, sdkParams } from '../query.js';
import { datasetApi } from '../sdk.js';
import type { ViewState } from '../state.js';

/** Values shown per facet. */
const TOP_VALUES = 8;

interface Props {
  dataset: DatasetInfo;
  state: ViewState;
  onToggle(column: string, value: string): void;
}

interface Facet {
  column: string;
  values: Array<{ value: unknown; count: number }>;
  truncated: boolean;
}

/**
 * The columns a facet can both count (aggregate group) and filter on (list parameter), but for the
 * computed ZIP and community area: the map is their facet (counts on hover, click to filter).
 */
export function facetColumns(dataset: DatasetInfo): string[] {
  return dataset.groupable.filter((column) => dataset.filters.includes(column) && !MAP_COLUMNS.has(column));
}

const MAP_COLUMNS = new Set(['geo_zip', 'geo_community_area']);

/**
 * For each category column, its top values under the other filters (a column's own filter is
 * left out, so that more of its values can be added), each a toggle button. Each facet loads on
 * its own: choosing a value refetches the other facets, not the one clicked, and a facet below the
 * fold waits until it is scrolled near.
 */
export function Facets({ dataset, state, onToggle }: Props) {
  const api = datasetApi(dataset.sdkName);
  // Once the keyboard is in the facets, every facet loads wherever it is: Tab must find the values
  // of the next facet, which has none to focus while it waits below the fold. (A click focuses a
  // button too, but not as :focus-visible.)
  const [keyboard, setKeyboard] = useState(false);
  const onFocusIn = (event: FocusEvent) => (event.target as Element).matches(':focus-visible') && setKeyboard(true);
  const columns = api?.aggregate ? facetColumns(dataset) : [];
  if (!columns.length) return null;
  return html`
    <section class="facets" aria-labelledby="facets-title" onFocusIn=${onFocusIn}>
      <h2 id="facets-title">Facets</h2>
      ${columns.map(
        (column) => html`<${FacetList} key=${column} dataset=${dataset} state=${state} column=${column} onToggle=${onToggle} everywhere=${keyboard} />`,
      )}
    </section>
  `;
}

function FacetList({ dataset, state, column, onToggle, everywhere }: Props & { column: string; everywhere: boolean }) {
  const api = datasetApi(dataset.sdkName)!;
  const params = filterParams(dataset, state, column);
  // A facet below the fold asks for its counts when it is scrolled near, not with every view.
  const section = useRef<HTMLElement>(null);
  const wanted = JSON.stringify(['facet', dataset.key, column, params]);
  const asked = useKeyWhenNear(section, wanted, everywhere);
  const facet = useLoad(asked, async (signal): Promise<Facet> => {
    const answer = await api.aggregate!(sdkParams({ ...params, group_by: [column], limit: TOP_VALUES }), { signal });
    return { column, values: answer.data.map((row) => ({ value: row[column], count: row.count })), truncated: answer.truncated };
  });
  const chosen = state.filters[column] ?? [];
  const values = facet.data?.values ?? [];
  const top = values[0]?.count ?? 0;
  return html`
    <section
      ref=${section}
      class=${facet.data || facet.error ? 'facet' : 'facet pending'}
      aria-label=${`Facet ${column}`}
      aria-busy=${facet.loading || asked !== wanted ? 'true' : 'false'}
    >
      <h3>${column}</h3>
      ${facet.error && html`<p class="error">${facet.error.message}</p>`}
      <ul>
        ${values.map(({ value, count }) => {
          const text = formatValue(value);
          const bar = html`<span class="facet-bar" style=${{ width: `${top ? Math.max(2, (count / top) * 100) : 0}%` }}></span>`;
          if (value === null || value === undefined) {
            return html`<li class="facet-row none">${bar}<span class="facet-label">${text}</span><span class="facet-count">${formatCount(count)}</span></li>`;
          }
          const pressed = chosen.includes(String(value));
          return html`<li>
            <button
              type="button"
              class="facet-row"
              data-testid="facet-value"
              data-column=${column}
              data-value=${String(value)}
              aria-pressed=${pressed ? 'true' : 'false'}
              onClick=${() => onToggle(column, String(value))}
            >
              ${bar}<span class="facet-label">${text}</span><span class="facet-count">${formatCount(count)}</span>
            </button>
          </li>`;
        })}
      </ul>
      ${facet.data?.truncated && html`<p class="muted">More values not shown.</p>`}
    </section>
  `;
}
