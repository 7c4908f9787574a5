import { html } from 'htm/preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { AREA_SOURCES, areaFilterOf, loadAreas } from '../areas.js';
import type { DatasetInfo } from '../catalog.js';
import { drawAreas, MAP_HEIGHT, MAP_WIDTH, SHADES, shadeOf } from '../choropleth.js';
import { formatCount } from '../format.js';
import { useKeyWhenNear, useLoad } from '../hooks.js';
import { filterParams, sdkParams } from '../query.js';
import { datasetApi } from '../sdk.js';
import type { AreaKind, ViewState } from '../state.js';

/** Points are drawn when the filtered result has at most this many rows. */
export const POINTS_UP_TO = 5000;

interface Props {
  dataset: DatasetInfo;
  state: ViewState;
  /** Rows matching this view's filters, once known (undefined while they are counted). */
  total: number | undefined;
  onToggleArea(filter: string, area: string): void;
  onAreas(kind: AreaKind): void;
}

/** A choropleth of counts per area; hover names an area, click filters by it; points when few. */
export function AreaMap({ dataset, state, total, onToggleArea, onAreas }: Props) {
  const source = AREA_SOURCES[state.areas];
  const filter = areaFilterOf(dataset, state.areas);
  const api = datasetApi(dataset.sdkName);
  const params = filterParams(dataset, state);
  // Like a facet, the map counts under every filter but its own: the areas chosen stay shaded
  // among the others (more can be added), and choosing one asks no new counts.
  const countParams = filterParams(dataset, state, filter);
  const boundaries = useLoad(state.areas, () => loadAreas(state.areas));
  const drawing = useMemo(() => (boundaries.data ? drawAreas(boundaries.data) : undefined), [boundaries.data]);

  // Below the fold (at phone width), the map asks for its counts and points when scrolled near.
  const panel = useRef<HTMLElement>(null);
  const countable = dataset.groupable.includes(source.group) && api?.aggregate;
  const countsKey = useKeyWhenNear(panel, countable ? JSON.stringify(['areas', dataset.key, source.group, countParams]) : null);
  const counts = useLoad(countsKey, async (signal) => {
    const answer = await api!.aggregate!(sdkParams({ ...countParams, group_by: [source.group], limit: 10000 }), { signal });
    return new Map(answer.data.map((row) => [String(row[source.group]), row.count]));
  });
  const max = counts.data ? Math.max(0, ...[...counts.data].filter(([area]) => area !== 'null').map(([, count]) => count)) : 0;

  const wantPoints = Boolean(dataset.points && api?.geojson && total !== undefined && total <= POINTS_UP_TO);
  const pointsKey = useKeyWhenNear(panel, wantPoints ? JSON.stringify(['points', dataset.key, params]) : null);
  const points = useLoad(pointsKey, (signal) =>
    // One column is enough: the server adds the coordinates a GeoJSON answer needs.
    api!.geojson!(sdkParams({ ...params, limit: POINTS_UP_TO, ...(dataset.timeColumn ? { fields: [dataset.timeColumn] } : {}) }), { signal }),
  );

  // Projected once per answer: a hover re-renders the map, and there may be 5,000 points.
  const dots = useMemo(
    () =>
      drawing &&
      points.data?.features.map((feature) => {
        if (!feature.geometry) return null;
        const at = drawing.project(feature.geometry.coordinates[0], feature.geometry.coordinates[1]);
        return html`<circle class="point" cx=${at[0].toFixed(1)} cy=${at[1].toFixed(1)} r="1.6" />`;
      }),
    [drawing, points.data],
  );

  const [hovered, setHovered] = useState<string | null>(null);
  const hoveredArea = drawing?.areas.find((area) => area.id === hovered);
  const chosen = new Set(filter ? (state.filters[filter] ?? []) : []);
  const countOf = (id: string) => counts.data?.get(id) ?? 0;

  return html`
    <section ref=${panel} class="panel map-panel" aria-labelledby="map-title">
      <div class="panel-head">
        <h2 id="map-title">Map</h2>
        <div class="segmented" role="radiogroup" aria-label="Areas">
          ${(['community', 'zip'] as const).map(
            (kind) => html`<label>
              <input type="radio" name="areas" value=${kind} checked=${state.areas === kind} onChange=${() => onAreas(kind)} />
              ${AREA_SOURCES[kind].label}
            </label>`,
          )}
        </div>
      </div>
      <p class="map-info" aria-live="polite">
        ${hoveredArea
          ? html`<strong>${hoveredArea.name}</strong>${counts.data ? `: ${formatCount(countOf(hoveredArea.id))} rows` : ''}`
          : counts.data
            ? `Rows per ${state.areas === 'zip' ? 'ZIP code' : 'community area'}${chosen.size ? ' (all areas, not only those chosen)' : ''}${filter ? '; click an area to filter' : ''}.`
            : boundaries.error
              ? html`<span class="error">${boundaries.error.message}</span>`
              : ''}
      </p>
      <svg
        data-testid="map"
        class="map"
        viewBox=${`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
        role="img"
        aria-label=${`Map of ${source.label.toLowerCase()}${counts.data ? ' shaded by row count' : ''}`}
        onMouseLeave=${() => setHovered(null)}
      >
        ${drawing?.areas.map(
          (area) => html`<path
            d=${area.d}
            data-area=${area.id}
            data-count=${counts.data ? countOf(area.id) : undefined}
            class=${chosen.has(area.id) ? 'area chosen' : 'area'}
            fill=${counts.data ? shadeOf(countOf(area.id), max) : SHADES[0]}
            onMouseEnter=${() => setHovered(area.id)}
            onClick=${filter ? () => onToggleArea(filter, area.id) : undefined}
          >
            <title>${area.name}${counts.data ? `: ${formatCount(countOf(area.id))}` : ''}</title>
          </path>`,
        )}
        ${wantPoints && dots}
      </svg>
      <p class="muted legend">
        ${counts.data && html`<span class="scale" aria-hidden="true">${SHADES.map((shade) => html`<i style=${{ background: shade }}></i>`)}</span>
          0 – ${formatCount(max)} rows. `}
        ${wantPoints && points.data ? `${formatCount(points.data.features.filter((feature) => feature.geometry).length)} points drawn.` : ''}
        ${dataset.points && total !== undefined && total > POINTS_UP_TO ? `Points are drawn at ${formatCount(POINTS_UP_TO)} rows or fewer.` : ''}
      </p>
    </section>
  `;
}
