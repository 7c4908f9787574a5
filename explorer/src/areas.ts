/*
 * The two kinds of areas the map draws, and how each maps to the API: the boundary set, the
 * aggregate group that counts rows per area, and the list filter that keeps one area's rows.
 */
import type { DatasetInfo } from './catalog.js';
import { lf } from './sdk.js';
import type { AreaKind } from './state.js';

/** `[longitude, latitude]`, as GeoJSON has it. */
export type Position = [number, number];

export interface Area {
  id: string;
  name: string;
  geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
}

interface AreaSource {
  label: string;
  /** The aggregate group (the computed column). */
  group: string;
  /** Filter parameters that read the computed column, best first. */
  filters: string[];
  load(signal: AbortSignal): Promise<Area[]>;
}

const titleCase = (text: string) => text.toLowerCase().replace(/\b[a-z]/g, (letter) => letter.toUpperCase());

export const AREA_SOURCES: Record<AreaKind, AreaSource> = {
  community: {
    label: 'Community areas',
    group: 'geo_community_area',
    filters: ['geo_community_area'],
    async load(signal) {
      const answer = await lf.boundaries.communityAreas(undefined, { signal });
      return answer.features.map((feature) => ({
        id: String(feature.id),
        name: `${titleCase(String(feature.properties.community ?? ''))} (${feature.id})`,
        geometry: feature.geometry as Area['geometry'],
      }));
    },
  },
  zip: {
    label: 'ZIP codes',
    group: 'geo_zip',
    filters: ['geo_zip', 'zip'],
    async load(signal) {
      const answer = await lf.boundaries.zipCodes(undefined, { signal });
      return answer.features.map((feature) => ({ id: String(feature.id), name: `ZIP ${feature.id}`, geometry: feature.geometry as Area['geometry'] }));
    },
  },
};

/** The list filter that keeps one area's rows on this dataset, if it has one. */
export function areaFilterOf(dataset: DatasetInfo, kind: AreaKind): string | undefined {
  return AREA_SOURCES[kind].filters.find((name) => dataset.filters.includes(name));
}

/** Boundaries change with a sync at most: fetched once per page load. */
const cache = new Map<AreaKind, Promise<Area[]>>();

export function loadAreas(kind: AreaKind): Promise<Area[]> {
  let areas = cache.get(kind);
  if (!areas) {
    areas = AREA_SOURCES[kind].load(new AbortController().signal);
    areas.catch(() => cache.delete(kind));
    cache.set(kind, areas);
  }
  return areas;
}
