import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/population.ts, plus the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.population (
       record_id                   text NOT NULL,
       geography_type              text,
       year                        integer,
       geography                   text,
       population_total            integer,
       population_age_0_17         integer,
       population_age_18           integer,
       population_age_18_29        integer,
       population_age_30_39        integer,
       population_age_40_49        integer,
       population_age_50_59        integer,
       population_age_60_69        integer,
       population_age_65           integer,
       population_age_70_79        integer,
       population_age_80           integer,
       population_female           integer,
       population_male             integer,
       population_latinx           integer,
       population_asian_non_latinx integer,
       population_black_non_latinx integer,
       population_white_non_latinx integer,
       population_other_race_non   integer,
       _source_id                  text NOT NULL,
       _row_id                     text NOT NULL,
       _updated_at                 timestamptz NOT NULL,
       PRIMARY KEY (record_id)
     )`,
    `CREATE VIEW api.population AS
       SELECT record_id, geography_type, year, geography, population_total, population_age_0_17,
              population_age_18, population_age_18_29, population_age_30_39, population_age_40_49,
              population_age_50_59, population_age_60_69, population_age_65, population_age_70_79,
              population_age_80, population_female, population_male, population_latinx,
              population_asian_non_latinx, population_black_non_latinx, population_white_non_latinx,
              population_other_race_non
       FROM data.population`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.population`, `DROP TABLE IF EXISTS data.population`]);
}
