import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// A yearly crime rollup for `by-zip`: a year-long range read ~9,600 monthly rows and summed
// them on every request (3 ms of PostgreSQL time at 8M crimes); whole years now come from
// ~800 rows. Stored in read order, like the rollups of 202611270910-crime-rollups-clustered.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE MATERIALIZED VIEW api.crimes_zip_type_year AS
       SELECT zip, primary_type, date_trunc('year', month::timestamp)::date AS year, sum(count)::int AS count
       FROM api.crimes_zip_type_month GROUP BY 1, 2, 3 ORDER BY 3, 1, 2`,
    `CREATE UNIQUE INDEX crimes_zip_type_year_key ON api.crimes_zip_type_year (year, zip, primary_type) NULLS NOT DISTINCT`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP MATERIALIZED VIEW IF EXISTS api.crimes_zip_type_year`]);
}
