import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/taxi-trips.ts, plus geo_zip/geo_community_area,
// which Lakefront computes from the point (never read from the portal), and the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
// Pages are ordered `trip_start_timestamp DESC NULLS LAST, trip_id DESC`;
// the indexes match that order exactly (NULLS LAST included) so the planner can walk them for
// keyset paging, alone or after an equality filter.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.taxi_trips (
       trip_id                    text NOT NULL,
       taxi_id                    text,
       trip_start_timestamp       timestamp,
       trip_end_timestamp         timestamp,
       trip_seconds               integer,
       trip_miles                 numeric,
       pickup_census_tract        text,
       dropoff_census_tract       text,
       pickup_community_area      integer,
       dropoff_community_area     integer,
       fare                       numeric,
       tips                       numeric,
       tolls                      numeric,
       extras                     numeric,
       trip_total                 numeric,
       payment_type               text,
       company                    text,
       pickup_centroid_latitude   double precision,
       pickup_centroid_longitude  double precision,
       dropoff_centroid_latitude  double precision,
       dropoff_centroid_longitude double precision,
       geo_zip                    text,
       geo_community_area         integer,
       _source_id                 text NOT NULL,
       _row_id                    text NOT NULL,
       _updated_at                timestamptz NOT NULL,
       PRIMARY KEY (trip_id)
     )`,
    `CREATE INDEX taxi_trips_trip_start_timestamp_trip_id_idx ON data.taxi_trips (trip_start_timestamp DESC NULLS LAST, trip_id DESC)`,
    `CREATE INDEX taxi_trips_company_trip_start_timestamp_idx ON data.taxi_trips (company, trip_start_timestamp DESC NULLS LAST, trip_id DESC)`,
    `CREATE INDEX taxi_trips_pickup_community_area_trip_start_timestamp_idx ON data.taxi_trips (pickup_community_area, trip_start_timestamp DESC NULLS LAST, trip_id DESC)`,
    `CREATE INDEX taxi_trips_geo_zip_trip_start_timestamp_idx ON data.taxi_trips (geo_zip, trip_start_timestamp DESC NULLS LAST, trip_id DESC)`,
    `CREATE VIEW api.taxi_trips AS
       SELECT trip_id, taxi_id, trip_start_timestamp, trip_end_timestamp, trip_seconds, trip_miles,
              pickup_census_tract, dropoff_census_tract, pickup_community_area, dropoff_community_area,
              fare, tips, tolls, extras, trip_total, payment_type, company, pickup_centroid_latitude,
              pickup_centroid_longitude, dropoff_centroid_latitude, dropoff_centroid_longitude, geo_zip,
              geo_community_area
       FROM data.taxi_trips`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.taxi_trips`, `DROP TABLE IF EXISTS data.taxi_trips`]);
}
