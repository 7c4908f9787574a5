import type { DatasetDefinition } from './types.js';

/**
 * ZIP code boundaries. `zip` is not unique: a ZIP can be several features (60643 and 60707 have
 * two rows each in the portal's export), so the key is the feature's `objectid` and consumers
 * group by `zip`. The portal lists gdcf-axmw as the map view; its tabular SODA resource may be
 * unjd-c2ca, which is why the id is configuration (`LAKEFRONT_SOURCES_ZIP_CODES`).
 */
export const zipCodes = {
  key: 'zip-codes',
  title: 'Boundaries - ZIP Codes',
  sourceIds: ['gdcf-axmw'],
  table: 'zip_codes',
  schemaName: 'ZipCode',
  sync: { schedule: '0 4 * * 0', cadence: 'weekly' },
  primaryKey: ['objectid'],
  geometryColumn: 'the_geom',
  filters: ['zip'],
  columns: [
    { name: 'objectid', type: 'integer', description: 'Feature id; unique per polygon feature.' },
    { name: 'zip', type: 'text', description: 'ZIP code; one ZIP may span several features.' },
    { name: 'shape_area', type: 'numeric', description: 'Area in square feet (State Plane).' },
    { name: 'shape_len', type: 'numeric', description: 'Perimeter in feet (State Plane).' },
    { name: 'the_geom', type: 'geometry', description: 'GeoJSON MultiPolygon, WGS84.' },
  ],
  sample: {
    file: 'gdcf-axmw.json',
    origin: 'uic-vis/project-3-data-goblins Boundaries - ZIP Codes.geojson @ 1eef23c9 (portal GeoJSON export)',
  },
} as const satisfies DatasetDefinition;
