import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Population's age groups under 18 that the definition lacked (0-4, 5+, 5-11, 12-17), listed
// beside the others by a third-party schema modelled on 85cm-7uqa. Existing rows get NULL until
// the next sync reads them; the view grows at its end, as CREATE OR REPLACE VIEW requires.
const ADDED = ['population_age_0_4', 'population_age_5', 'population_age_5_11', 'population_age_12_17'];

export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    ...ADDED.map((column) => `ALTER TABLE data.population ADD COLUMN ${column} integer`),
    `CREATE OR REPLACE VIEW api.population AS
       SELECT record_id, geography_type, year, geography, population_total, population_age_0_17,
              population_age_18, population_age_18_29, population_age_30_39, population_age_40_49,
              population_age_50_59, population_age_60_69, population_age_65, population_age_70_79,
              population_age_80, population_female, population_male, population_latinx,
              population_asian_non_latinx, population_black_non_latinx, population_white_non_latinx,
              population_other_race_non, ${ADDED.join(', ')}
       FROM data.population`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    `DROP VIEW api.population`,
    `CREATE VIEW api.population AS
       SELECT record_id, geography_type, year, geography, population_total, population_age_0_17,
              population_age_18, population_age_18_29, population_age_30_39, population_age_40_49,
              population_age_50_59, population_age_60_69, population_age_65, population_age_70_79,
              population_age_80, population_female, population_male, population_latinx,
              population_asian_non_latinx, population_black_non_latinx, population_white_non_latinx,
              population_other_race_non
       FROM data.population`,
    ...ADDED.map((column) => `ALTER TABLE data.population DROP COLUMN ${column}`),
  ]);
}
