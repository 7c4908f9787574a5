import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/crimes.ts; `_source_id`, `_row_id` and `_updated_at` record the
// portal id, the Socrata `:id` and `:updated_at` of the version loaded.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.crimes (
       id bigint PRIMARY KEY,
       case_number text,
       date timestamp,
       block text,
       iucr text,
       primary_type text,
       description text,
       location_description text,
       arrest boolean,
       domestic boolean,
       beat text,
       district text,
       ward integer,
       community_area text,
       fbi_code text,
       x_coordinate numeric,
       y_coordinate numeric,
       year integer,
       updated_on timestamp,
       latitude double precision,
       longitude double precision,
       _source_id text NOT NULL,
       _row_id text NOT NULL,
       _updated_at timestamptz NOT NULL
     )`,
    `CREATE INDEX crimes_date_id_idx ON data.crimes (date DESC, id DESC)`,
    `CREATE INDEX crimes_primary_type_date_idx ON data.crimes (primary_type, date DESC, id DESC)`,
    `CREATE VIEW api.crimes AS
       SELECT id, case_number, date, block, iucr, primary_type, description, location_description,
              arrest, domestic, beat, district, ward, community_area, fbi_code,
              x_coordinate, y_coordinate, year, updated_on, latitude, longitude
       FROM data.crimes`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.crimes`, `DROP TABLE IF EXISTS data.crimes`]);
}
