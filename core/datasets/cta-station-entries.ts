import type { DatasetDefinition } from './types.js';

/**
 * Daily entries per CTA 'L' station since 2001, about one row per station and day. But
 * (`station_id`, `date`) repeats in the real data (about 600 pairs), so it is not a key: rows are
 * keyed on the portal's row id `:id` (column `row_id`), the only identifier the portal
 * guarantees unique, and rides per station and day are the sum of its rows. `station_id` is the
 * parent station, `map_id` in `cta-stops`. The portal sends `date` as a floating timestamp at
 * midnight; it is stored as a `date`.
 */
export const ctaStationEntries = {
  key: 'cta-station-entries',
  title: "CTA - Ridership - 'L' Station Entries - Daily Totals",
  sourceIds: ['5neh-572f'],
  table: 'cta_station_entries',
  schemaName: 'CtaStationEntry',
  sync: { schedule: '15 6 * * *', cadence: 'daily' },
  primaryKey: ['row_id'],
  timeColumn: 'date',
  filters: ['station_id', 'daytype'],
  columns: [
    { name: 'station_id', type: 'integer', description: 'Parent station id (4xxxx), = map_id in cta-stops.' },
    { name: 'stationname', type: 'text' },
    { name: 'date', type: 'date' },
    { name: 'daytype', type: 'text', description: 'W weekday, A Saturday, U Sunday or holiday.' },
    { name: 'rides', type: 'integer', description: 'Entries that day, all turnstiles.' },
    { name: 'row_id', type: 'text', source: ':id', description: "The portal's row id (`:id`), the key." },
  ],
  sample: {
    file: '5neh-572f.json',
    origin: 'sjakva/cs424project2 Xstation_*.txt @ e59ac6de (portal export split per station), 2014-02-28 to 2014-03-15',
  },
} as const satisfies DatasetDefinition;
