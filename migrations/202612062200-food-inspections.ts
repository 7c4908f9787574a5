import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/food-inspections.ts, plus geo_zip/geo_community_area, which
// Lakefront computes from the point (never read from the portal), and the bookkeeping `_source_id`
// (portal id), `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
// Pages are ordered `inspection_date DESC NULLS LAST, inspection_id DESC`; the indexes match that
// order exactly so the planner can walk them for keyset paging, alone or after an equality filter.
//
// The report's rollup (refreshed after every sync by core/reports/rollups.ts): inspections per
// community area and month; `graded` counts those that reached a verdict (Pass, Pass w/
// Conditions, Fail), the denominator of the failure rate. Rows outside every area are left out.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.food_inspections (
       inspection_id      integer NOT NULL,
       dba_name           text,
       aka_name           text,
       license_           text,
       facility_type      text,
       risk               text,
       address            text,
       city               text,
       state              text,
       zip                text,
       inspection_date    timestamp,
       inspection_type    text,
       results            text,
       violations         text,
       latitude           double precision,
       longitude          double precision,
       geo_zip            text,
       geo_community_area integer,
       _source_id         text NOT NULL,
       _row_id            text NOT NULL,
       _updated_at        timestamptz NOT NULL,
       PRIMARY KEY (inspection_id)
     )`,
    `CREATE INDEX food_inspections_inspection_date_id_idx ON data.food_inspections (inspection_date DESC NULLS LAST, inspection_id DESC)`,
    `CREATE INDEX food_inspections_results_date_idx ON data.food_inspections (results, inspection_date DESC NULLS LAST, inspection_id DESC)`,
    `CREATE INDEX food_inspections_facility_type_date_idx ON data.food_inspections (facility_type, inspection_date DESC NULLS LAST, inspection_id DESC)`,
    `CREATE INDEX food_inspections_geo_zip_date_idx ON data.food_inspections (geo_zip, inspection_date DESC NULLS LAST, inspection_id DESC)`,
    `CREATE INDEX food_inspections_geo_community_area_date_idx ON data.food_inspections (geo_community_area, inspection_date DESC NULLS LAST, inspection_id DESC)`,
    `CREATE VIEW api.food_inspections AS
       SELECT inspection_id, dba_name, aka_name, license_, facility_type, risk, address, city, state, zip,
              inspection_date, inspection_type, results, violations, latitude, longitude, geo_zip, geo_community_area
       FROM data.food_inspections`,
    `CREATE MATERIALIZED VIEW api.food_inspections_monthly AS
       SELECT geo_community_area AS community_area, date_trunc('month', inspection_date)::date AS month,
              count(*)::int AS inspections,
              (count(*) FILTER (WHERE results IN ('Pass', 'Pass w/ Conditions', 'Fail')))::int AS graded,
              (count(*) FILTER (WHERE results = 'Fail'))::int AS failures
       FROM data.food_inspections WHERE geo_community_area IS NOT NULL AND inspection_date IS NOT NULL
       GROUP BY 1, 2`,
    // REFRESH … CONCURRENTLY needs a unique index.
    `CREATE UNIQUE INDEX food_inspections_monthly_key ON api.food_inspections_monthly (community_area, month) NULLS NOT DISTINCT`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    `DROP MATERIALIZED VIEW IF EXISTS api.food_inspections_monthly`,
    `DROP VIEW IF EXISTS api.food_inspections`,
    `DROP TABLE IF EXISTS data.food_inspections`,
  ]);
}
