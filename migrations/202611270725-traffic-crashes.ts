import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/traffic-crashes.ts, plus geo_zip/geo_community_area,
// which Lakefront computes from the point (never read from the portal), and the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
// Pages are ordered `crash_date DESC NULLS LAST, crash_record_id DESC`;
// the indexes match that order exactly (NULLS LAST included) so the planner can walk them for
// keyset paging, alone or after an equality filter.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.traffic_crashes (
       crash_record_id               text NOT NULL,
       crash_date_est_i              text,
       crash_date                    timestamp,
       posted_speed_limit            integer,
       traffic_control_device        text,
       device_condition              text,
       weather_condition             text,
       lighting_condition            text,
       first_crash_type              text,
       trafficway_type               text,
       lane_cnt                      integer,
       alignment                     text,
       roadway_surface_cond          text,
       road_defect                   text,
       report_type                   text,
       crash_type                    text,
       intersection_related_i        text,
       not_right_of_way_i            text,
       hit_and_run_i                 text,
       damage                        text,
       date_police_notified          timestamp,
       prim_contributory_cause       text,
       sec_contributory_cause        text,
       street_no                     integer,
       street_direction              text,
       street_name                   text,
       beat_of_occurrence            text,
       photos_taken_i                text,
       statements_taken_i            text,
       dooring_i                     text,
       work_zone_i                   text,
       work_zone_type                text,
       workers_present_i             text,
       num_units                     integer,
       most_severe_injury            text,
       injuries_total                integer,
       injuries_fatal                integer,
       injuries_incapacitating       integer,
       injuries_non_incapacitating   integer,
       injuries_reported_not_evident integer,
       injuries_no_indication        integer,
       injuries_unknown              integer,
       crash_hour                    integer,
       crash_day_of_week             integer,
       crash_month                   integer,
       latitude                      double precision,
       longitude                     double precision,
       geo_zip                       text,
       geo_community_area            integer,
       _source_id                    text NOT NULL,
       _row_id                       text NOT NULL,
       _updated_at                   timestamptz NOT NULL,
       PRIMARY KEY (crash_record_id)
     )`,
    `CREATE INDEX traffic_crashes_crash_date_crash_record_id_idx ON data.traffic_crashes (crash_date DESC NULLS LAST, crash_record_id DESC)`,
    `CREATE INDEX traffic_crashes_crash_type_crash_date_idx ON data.traffic_crashes (crash_type, crash_date DESC NULLS LAST, crash_record_id DESC)`,
    `CREATE INDEX traffic_crashes_prim_contributory_cause_crash_date_idx ON data.traffic_crashes (prim_contributory_cause, crash_date DESC NULLS LAST, crash_record_id DESC)`,
    `CREATE INDEX traffic_crashes_geo_zip_crash_date_idx ON data.traffic_crashes (geo_zip, crash_date DESC NULLS LAST, crash_record_id DESC)`,
    `CREATE VIEW api.traffic_crashes AS
       SELECT crash_record_id, crash_date_est_i, crash_date, posted_speed_limit, traffic_control_device,
              device_condition, weather_condition, lighting_condition, first_crash_type, trafficway_type,
              lane_cnt, alignment, roadway_surface_cond, road_defect, report_type, crash_type,
              intersection_related_i, not_right_of_way_i, hit_and_run_i, damage, date_police_notified,
              prim_contributory_cause, sec_contributory_cause, street_no, street_direction, street_name,
              beat_of_occurrence, photos_taken_i, statements_taken_i, dooring_i, work_zone_i,
              work_zone_type, workers_present_i, num_units, most_severe_injury, injuries_total,
              injuries_fatal, injuries_incapacitating, injuries_non_incapacitating,
              injuries_reported_not_evident, injuries_no_indication, injuries_unknown, crash_hour,
              crash_day_of_week, crash_month, latitude, longitude, geo_zip, geo_community_area
       FROM data.traffic_crashes`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.traffic_crashes`, `DROP TABLE IF EXISTS data.traffic_crashes`]);
}
