import type { DatasetDefinition } from './types.js';

/**
 * CTA 'L' stops (one per platform direction), reference data without a time column. The line
 * columns are the portal's short names: g Green, brn Brown, p Purple, pexp Purple Express,
 * y Yellow, pnk Pink, o Orange. The portal serves only the `location` point; Lakefront flattens
 * it into `latitude`/`longitude`.
 */
export const ctaStops = {
  key: 'cta-stops',
  title: "CTA - System Information - List of 'L' Stops",
  sourceIds: ['8pix-ypme'],
  table: 'cta_stops',
  schemaName: 'CtaStop',
  sync: { schedule: '30 5 * * *', cadence: 'daily' },
  primaryKey: ['stop_id'],
  point: { source: 'location', latitude: 'latitude', longitude: 'longitude' },
  filters: ['map_id', 'direction_id', 'ada', 'red', 'blue', 'g', 'brn', 'p', 'pexp', 'y', 'pnk', 'o'],
  columns: [
    { name: 'stop_id', type: 'integer', description: 'Stop id (3xxxx).' },
    { name: 'direction_id', type: 'text', description: 'N, S, E or W.' },
    { name: 'stop_name', type: 'text' },
    { name: 'station_name', type: 'text' },
    { name: 'station_descriptive_name', type: 'text' },
    { name: 'map_id', type: 'integer', description: 'Parent station id (4xxxx), = station_id in cta-station-entries.' },
    { name: 'ada', type: 'boolean', description: 'Accessible.' },
    { name: 'red', type: 'boolean' },
    { name: 'blue', type: 'boolean' },
    { name: 'g', type: 'boolean' },
    { name: 'brn', type: 'boolean' },
    { name: 'p', type: 'boolean' },
    { name: 'pexp', type: 'boolean' },
    { name: 'y', type: 'boolean' },
    { name: 'pnk', type: 'boolean' },
    { name: 'o', type: 'boolean' },
    { name: 'latitude', type: 'double', description: 'From the portal `location` point.' },
    { name: 'longitude', type: 'double', description: 'From the portal `location` point.' },
  ],
  sample: {
    file: '8pix-ypme.json',
    origin: 'acreighton/cta-map data/CTA_-_System_Information_-_List_of__L__Stops.csv @ f241fa03 (portal CSV export, 2013)',
  },
} as const satisfies DatasetDefinition;
