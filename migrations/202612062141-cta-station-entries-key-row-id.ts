import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// CTA station entries are keyed on the portal's row id (`:id`, new column `row_id`) instead of
// (station_id, date), which repeats in the real data (about 600 pairs, each second row overwrote
// the first). Existing rows keep their values: `row_id` is the `_row_id` each was loaded with.
// station_id and date are no longer key columns, so a portal row lacking one is kept too. The
// keyset indexes follow the new tie-breaker; the view gains `row_id` (at the end, as the
// definition lists it).
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `ALTER TABLE data.cta_station_entries ADD COLUMN row_id text`,
    `UPDATE data.cta_station_entries SET row_id = _row_id`,
    `ALTER TABLE data.cta_station_entries ALTER COLUMN row_id SET NOT NULL`,
    `ALTER TABLE data.cta_station_entries DROP CONSTRAINT cta_station_entries_pkey`,
    `ALTER TABLE data.cta_station_entries ALTER COLUMN station_id DROP NOT NULL`,
    `ALTER TABLE data.cta_station_entries ALTER COLUMN date DROP NOT NULL`,
    `ALTER TABLE data.cta_station_entries ADD PRIMARY KEY (row_id)`,
    `DROP INDEX data.cta_station_entries_date_station_id_idx`,
    `DROP INDEX data.cta_station_entries_station_id_date_idx`,
    `CREATE INDEX cta_station_entries_date_row_id_idx ON data.cta_station_entries (date DESC NULLS LAST, row_id DESC)`,
    `CREATE INDEX cta_station_entries_station_id_date_idx ON data.cta_station_entries (station_id, date DESC NULLS LAST, row_id DESC)`,
    `CREATE OR REPLACE VIEW api.cta_station_entries AS
       SELECT station_id, stationname, date, daytype, rides, row_id
       FROM data.cta_station_entries`,
  ]);
}

/** Back to (station_id, date); fails if the table now holds a repeated pair, which the old key cannot. */
export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    `DROP VIEW api.cta_station_entries`,
    `CREATE VIEW api.cta_station_entries AS SELECT station_id, stationname, date, daytype, rides FROM data.cta_station_entries`,
    `DROP INDEX data.cta_station_entries_date_row_id_idx`,
    `DROP INDEX data.cta_station_entries_station_id_date_idx`,
    `CREATE INDEX cta_station_entries_date_station_id_idx ON data.cta_station_entries (date DESC NULLS LAST, station_id DESC)`,
    `CREATE INDEX cta_station_entries_station_id_date_idx ON data.cta_station_entries (station_id, date DESC NULLS LAST)`,
    `ALTER TABLE data.cta_station_entries DROP CONSTRAINT cta_station_entries_pkey`,
    `ALTER TABLE data.cta_station_entries ADD PRIMARY KEY (station_id, date)`,
    `ALTER TABLE data.cta_station_entries DROP COLUMN row_id`,
  ]);
}
