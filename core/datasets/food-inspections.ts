import type { DatasetDefinition } from './types.js';

/**
 * Food inspections of restaurants and other food establishments by the Chicago Department of
 * Public Health, one row per inspection (`inspection_id`). The portal has no community area: the
 * report's areas are Lakefront's `geo_community_area`, computed from the point, and `zip` filters
 * on `geo_zip` like every dataset with coordinates (the portal's own `zip` column is served as is).
 * `license_` and the portal's `zip` are codes and stay text.
 */
export const foodInspections = {
  key: 'food-inspections',
  title: 'Food Inspections',
  sourceIds: ['4ijn-s7e5'],
  table: 'food_inspections',
  schemaName: 'FoodInspection',
  // The portal adds the previous day's inspections once a day.
  sync: { schedule: '50 6 * * *', cadence: 'daily' },
  primaryKey: ['inspection_id'],
  timeColumn: 'inspection_date',
  point: { source: 'location', latitude: 'latitude', longitude: 'longitude' },
  filters: ['results', 'risk', 'facility_type', 'inspection_type'],
  columns: [
    { name: 'inspection_id', type: 'integer', description: 'Unique identifier of the inspection.' },
    { name: 'dba_name', type: 'text', description: 'Doing-business-as name of the establishment.' },
    { name: 'aka_name', type: 'text', description: 'The name the public knows the establishment by.' },
    { name: 'license_', type: 'text', description: 'Business license number of the establishment (the portal field ends in `_`).' },
    { name: 'facility_type', type: 'text', description: 'Restaurant, Grocery Store, School, Bakery, …' },
    { name: 'risk', type: 'text', description: 'Risk category: `Risk 1 (High)`, `Risk 2 (Medium)`, `Risk 3 (Low)` or `All`.' },
    { name: 'address', type: 'text' },
    { name: 'city', type: 'text' },
    { name: 'state', type: 'text' },
    { name: 'zip', type: 'text', description: 'ZIP code as entered (the `zip` filter reads the computed `geo_zip`).' },
    { name: 'inspection_date', type: 'timestamp', description: 'Day of the inspection (midnight, Chicago local time).' },
    { name: 'inspection_type', type: 'text', description: 'Canvass, License, Complaint, their re-inspections, …' },
    { name: 'results', type: 'text', description: 'Pass, Pass w/ Conditions, Fail, Out of Business, No Entry, Not Ready, Business Not Located.' },
    { name: 'violations', type: 'text', description: 'Violations cited, with the inspector\'s comments, separated by `|`.' },
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
  ],
  sample: {
    file: '4ijn-s7e5.json',
    origin: 'GuidoValada/Code-practice Food_Inspections.csv @ 0bc26392 (portal CSV export, 2020-03)',
  },
} as const satisfies DatasetDefinition;
