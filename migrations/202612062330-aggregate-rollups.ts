import type { Knex } from 'knex';
import { trackAggregatesSql, untrackAggregatesSql } from '../core/aggregate/rollups.js';
import { execAll } from '../core/db/migrate.js';

// The rollups behind `GET /v1/{key}/aggregate` (see core/aggregate/rollups.ts): one table of
// counts per day and month for every dataset with a time column, the days each dataset's writes
// touched since the last refresh, and the datasets whose writes are tracked. The tables live in
// `data` (the ingest role refreshes them); the API reads them through views in `api`.
const TRACKED: readonly { key: string; table: string; time: string }[] = [
  { key: 'crimes', table: 'crimes', time: 'date' },
  { key: 'service-requests', table: 'service_requests', time: 'created_date' },
  { key: 'business-licenses', table: 'business_licenses', time: 'date_issued' },
  { key: 'traffic-crashes', table: 'traffic_crashes', time: 'crash_date' },
  { key: 'taxi-trips', table: 'taxi_trips', time: 'trip_start_timestamp' },
  { key: 'rideshare-trips', table: 'rideshare_trips', time: 'trip_start_timestamp' },
  { key: 'cta-station-entries', table: 'cta_station_entries', time: 'date' },
];

export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.aggregate_rollups (
       dataset text NOT NULL,
       grain text NOT NULL CHECK (grain IN ('day', 'month')),
       dim text NOT NULL,
       period date,
       value text,
       count bigint NOT NULL
     )`,
    // Reads: one dimension of one grain, over a period range. Refreshes: the rows of some periods.
    `CREATE INDEX aggregate_rollups_read_idx ON data.aggregate_rollups (dataset, grain, dim, period)`,
    `CREATE INDEX aggregate_rollups_period_idx ON data.aggregate_rollups (dataset, grain, period)`,
    `CREATE TABLE data.aggregate_dirty (dataset text NOT NULL, day date, UNIQUE NULLS NOT DISTINCT (dataset, day))`,
    `CREATE TABLE data.aggregate_tracked (dataset text PRIMARY KEY)`,
    // A statement trigger: one insert of the distinct days per write, however many rows it wrote.
    `CREATE FUNCTION lakefront.aggregate_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'DELETE' THEN
           EXECUTE format('INSERT INTO data.aggregate_dirty (dataset, day) SELECT DISTINCT %L, %I::date FROM new_rows ON CONFLICT DO NOTHING', TG_ARGV[0], TG_ARGV[1]);
         END IF;
         IF TG_OP <> 'INSERT' THEN
           EXECUTE format('INSERT INTO data.aggregate_dirty (dataset, day) SELECT DISTINCT %L, %I::date FROM old_rows ON CONFLICT DO NOTHING', TG_ARGV[0], TG_ARGV[1]);
         END IF;
         RETURN NULL;
       END
     $$`,
    `CREATE VIEW api.aggregate_rollups AS SELECT dataset, grain, dim, period, value, count FROM data.aggregate_rollups`,
    // Rollups answer only while no write is waiting to be rolled up.
    `CREATE VIEW api.aggregate_status AS
       SELECT t.dataset, NOT EXISTS (SELECT 1 FROM data.aggregate_dirty d WHERE d.dataset = t.dataset) AS current
       FROM data.aggregate_tracked t`,
    ...TRACKED.flatMap(({ key, table, time }) => trackAggregatesSql(key, table, time)),
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    ...TRACKED.flatMap(({ key, table }) => untrackAggregatesSql(key, table)),
    `DROP VIEW IF EXISTS api.aggregate_status`,
    `DROP VIEW IF EXISTS api.aggregate_rollups`,
    `DROP FUNCTION IF EXISTS lakefront.aggregate_mark_dirty()`,
    `DROP TABLE IF EXISTS data.aggregate_tracked`,
    `DROP TABLE IF EXISTS data.aggregate_dirty`,
    `DROP TABLE IF EXISTS data.aggregate_rollups`,
  ]);
}
