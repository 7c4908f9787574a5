import type { DatasetDefinition } from './types.js';

/**
 * The 77 community areas. The portal serves `area_numbe` (the shapefile's truncated
 * AREA_NUMBER) as text; it is stored as an integer so it joins with `geo_community_area` and
 * the numeric `community_area` columns of other datasets.
 */
export const communityAreas = {
  key: 'community-areas',
  title: 'Boundaries - Community Areas (current)',
  sourceIds: ['igwz-8jzy'],
  table: 'community_areas',
  schemaName: 'CommunityArea',
  sync: { schedule: '10 4 * * 0', cadence: 'weekly' },
  primaryKey: ['area_numbe'],
  geometryColumn: 'the_geom',
  filters: ['community'],
  columns: [
    { name: 'area_numbe', type: 'integer', description: 'Community area number, 1-77.' },
    { name: 'community', type: 'text', description: 'Community area name, upper case (e.g. LOOP).' },
    { name: 'area_num_1', type: 'integer', description: 'Duplicate of area_numbe (shapefile attribute).' },
    { name: 'shape_area', type: 'numeric', description: 'Area in square feet (State Plane).' },
    { name: 'shape_len', type: 'numeric', description: 'Perimeter in feet (State Plane).' },
    { name: 'perimeter', type: 'numeric', description: 'Dead shapefile attribute (0 in every row).' },
    { name: 'area', type: 'numeric', description: 'Dead shapefile attribute (0 in every row).' },
    { name: 'comarea', type: 'numeric', description: 'Dead shapefile attribute (0 in every row).' },
    { name: 'comarea_id', type: 'numeric', description: 'Dead shapefile attribute (0 in every row).' },
    { name: 'the_geom', type: 'geometry', description: 'GeoJSON MultiPolygon, WGS84.' },
  ],
  sample: {
    file: 'igwz-8jzy.json',
    origin: 'mannyd93/CrimeCabProject Boundaries - Community Areas (current).geojson @ 03bfa4ed (portal GeoJSON export)',
  },
} as const satisfies DatasetDefinition;
