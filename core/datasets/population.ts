import type { DatasetDefinition } from './types.js';

/**
 * Population by year, citywide and per ZIP code. The portal's only time field, `year`, is a
 * number, not a timestamp, so this dataset has no `timeColumn` (date-range `from`/`to` and
 * `--since` do not apply; the table is a few hundred rows); `year` is an equality filter instead.
 * Column names and types are inferred from third-party code (no portal metadata was available);
 * counts are taken to be whole numbers, and a fractional count would be logged as malformed.
 * The four age groups under 18 (0-4, 5+, 5-11, 12-17) come last: they were added after the
 * others (a third-party schema modelled on this dataset lists them beside the rest), and the
 * API view can only grow at its end. `lakefront check population` says whether the portal has them.
 */
export const population = {
  key: 'population',
  title: 'Chicago Population Counts',
  sourceIds: ['85cm-7uqa'],
  table: 'population',
  schemaName: 'PopulationCount',
  sync: { schedule: '45 4 * * 0', cadence: 'weekly' },
  primaryKey: ['record_id'],
  filters: ['geography_type', 'year', 'geography'],
  columns: [
    { name: 'record_id', type: 'text', description: 'Row id (geography type + year + geography).' },
    { name: 'geography_type', type: 'text', description: '`Citywide` or ZIP-code rows.' },
    { name: 'year', type: 'integer' },
    { name: 'geography', type: 'text', description: 'The ZIP code, or the city for the citywide row.' },
    { name: 'population_total', type: 'integer' },
    { name: 'population_age_0_17', type: 'integer' },
    { name: 'population_age_18', type: 'integer', description: 'Age 18 and over.' },
    { name: 'population_age_18_29', type: 'integer' },
    { name: 'population_age_30_39', type: 'integer' },
    { name: 'population_age_40_49', type: 'integer' },
    { name: 'population_age_50_59', type: 'integer' },
    { name: 'population_age_60_69', type: 'integer' },
    { name: 'population_age_65', type: 'integer', description: 'Age 65 and over.' },
    { name: 'population_age_70_79', type: 'integer' },
    { name: 'population_age_80', type: 'integer', description: 'Age 80 and over.' },
    { name: 'population_female', type: 'integer' },
    { name: 'population_male', type: 'integer' },
    { name: 'population_latinx', type: 'integer' },
    { name: 'population_asian_non_latinx', type: 'integer' },
    { name: 'population_black_non_latinx', type: 'integer' },
    { name: 'population_white_non_latinx', type: 'integer' },
    { name: 'population_other_race_non', type: 'integer', description: 'Other race, non-Latinx (name truncated by the portal).' },
    { name: 'population_age_0_4', type: 'integer' },
    { name: 'population_age_5', type: 'integer', description: 'Age 5 and over.' },
    { name: 'population_age_5_11', type: 'integer' },
    { name: 'population_age_12_17', type: 'integer' },
  ],
  sample: {
    file: '85cm-7uqa.json',
    origin: 'stathy/univofchicago data/Chicago_Population_Counts.csv @ 25140a1c (portal CSV export, 2018-2019)',
  },
} as const satisfies DatasetDefinition;
