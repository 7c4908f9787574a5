import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/cta-station-entries.ts, plus the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
// Pages are ordered `date DESC NULLS LAST, station_id DESC`;
// the indexes match that order exactly (NULLS LAST included) so the planner can walk them for
// keyset paging, alone or after an equality filter.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.cta_station_entries (
       station_id         integer NOT NULL,
       stationname        text,
       date               date NOT NULL,
       daytype            text,
       rides              integer,
       _source_id         text NOT NULL,
       _row_id            text NOT NULL,
       _updated_at        timestamptz NOT NULL,
       PRIMARY KEY (station_id, date)
     )`,
    `CREATE INDEX cta_station_entries_date_station_id_idx ON data.cta_station_entries (date DESC NULLS LAST, station_id DESC)`,
    `CREATE INDEX cta_station_entries_station_id_date_idx ON data.cta_station_entries (station_id, date DESC NULLS LAST)`,
    `CREATE VIEW api.cta_station_entries AS
       SELECT station_id, stationname, date, daytype, rides
       FROM data.cta_station_entries`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.cta_station_entries`, `DROP TABLE IF EXISTS data.cta_station_entries`]);
}
