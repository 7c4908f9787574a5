import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/rideshare-trips.ts, plus geo_zip/geo_community_area,
// which Lakefront computes from the point (never read from the portal), and the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
// Pages are ordered `trip_start_timestamp DESC NULLS LAST, trip_id DESC`;
// the indexes match that order exactly (NULLS LAST included) so the planner can walk them for
// keyset paging, alone or after an equality filter.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.rideshare_trips (
       trip_id                    text NOT NULL,
       trip_start_timestamp       timestamp,
       trip_end_timestamp         timestamp,
       trip_seconds               integer,
       trip_miles                 numeric,
       percent_time_chicago       numeric,
       percent_distance_chicago   numeric,
       pickup_census_tract        text,
       dropoff_census_tract       text,
       pickup_community_area      integer,
       dropoff_community_area     integer,
       fare                       numeric,
       tip                        numeric,
       additional_charges         numeric,
       trip_total                 numeric,
       shared_trip_authorized     boolean,
       shared_trip_match          boolean,
       trips_pooled               integer,
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
    `CREATE INDEX rideshare_trips_trip_start_timestamp_trip_id_idx ON data.rideshare_trips (trip_start_timestamp DESC NULLS LAST, trip_id DESC)`,
    `CREATE INDEX rideshare_trips_pickup_community_area_trip_start_timestamp_idx ON data.rideshare_trips (pickup_community_area, trip_start_timestamp DESC NULLS LAST, trip_id DESC)`,
    `CREATE INDEX rideshare_trips_geo_zip_trip_start_timestamp_idx ON data.rideshare_trips (geo_zip, trip_start_timestamp DESC NULLS LAST, trip_id DESC)`,
    `CREATE VIEW api.rideshare_trips AS
       SELECT trip_id, trip_start_timestamp, trip_end_timestamp, trip_seconds, trip_miles,
              percent_time_chicago, percent_distance_chicago, pickup_census_tract, dropoff_census_tract,
              pickup_community_area, dropoff_community_area, fare, tip, additional_charges, trip_total,
              shared_trip_authorized, shared_trip_match, trips_pooled, pickup_centroid_latitude,
              pickup_centroid_longitude, dropoff_centroid_latitude, dropoff_centroid_longitude, geo_zip,
              geo_community_area
       FROM data.rideshare_trips`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.rideshare_trips`, `DROP TABLE IF EXISTS data.rideshare_trips`]);
}
