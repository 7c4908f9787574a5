import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/service-requests.ts, plus geo_zip/geo_community_area,
// which Lakefront computes from the point (never read from the portal), and the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
// Pages are ordered `created_date DESC NULLS LAST, sr_number DESC`;
// the indexes match that order exactly (NULLS LAST included) so the planner can walk them for
// keyset paging, alone or after an equality filter.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.service_requests (
       sr_number                text NOT NULL,
       sr_type                  text,
       sr_short_code            text,
       created_department       text,
       owner_department         text,
       status                   text,
       origin                   text,
       created_date             timestamp,
       last_modified_date       timestamp,
       closed_date              timestamp,
       street_address           text,
       city                     text,
       state                    text,
       zip_code                 text,
       street_number            text,
       street_direction         text,
       street_name              text,
       street_type              text,
       duplicate                boolean,
       legacy_record            boolean,
       legacy_sr_number         text,
       parent_sr_number         text,
       community_area           integer,
       ward                     integer,
       electrical_district      text,
       electricity_grid         text,
       police_sector            text,
       police_district          text,
       police_beat              text,
       precinct                 text,
       sanitation_division_days text,
       created_hour             integer,
       created_day_of_week      integer,
       created_month            integer,
       x_coordinate             numeric,
       y_coordinate             numeric,
       latitude                 double precision,
       longitude                double precision,
       geo_zip                  text,
       geo_community_area       integer,
       _source_id               text NOT NULL,
       _row_id                  text NOT NULL,
       _updated_at              timestamptz NOT NULL,
       PRIMARY KEY (sr_number)
     )`,
    `CREATE INDEX service_requests_created_date_sr_number_idx ON data.service_requests (created_date DESC NULLS LAST, sr_number DESC)`,
    `CREATE INDEX service_requests_sr_type_created_date_idx ON data.service_requests (sr_type, created_date DESC NULLS LAST, sr_number DESC)`,
    `CREATE INDEX service_requests_status_created_date_idx ON data.service_requests (status, created_date DESC NULLS LAST, sr_number DESC)`,
    `CREATE INDEX service_requests_owner_department_created_date_idx ON data.service_requests (owner_department, created_date DESC NULLS LAST, sr_number DESC)`,
    `CREATE INDEX service_requests_geo_zip_created_date_idx ON data.service_requests (geo_zip, created_date DESC NULLS LAST, sr_number DESC)`,
    `CREATE VIEW api.service_requests AS
       SELECT sr_number, sr_type, sr_short_code, created_department, owner_department, status, origin,
              created_date, last_modified_date, closed_date, street_address, city, state, zip_code,
              street_number, street_direction, street_name, street_type, duplicate, legacy_record,
              legacy_sr_number, parent_sr_number, community_area, ward, electrical_district,
              electricity_grid, police_sector, police_district, police_beat, precinct,
              sanitation_division_days, created_hour, created_day_of_week, created_month, x_coordinate,
              y_coordinate, latitude, longitude, geo_zip, geo_community_area
       FROM data.service_requests`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.service_requests`, `DROP TABLE IF EXISTS data.service_requests`]);
}
