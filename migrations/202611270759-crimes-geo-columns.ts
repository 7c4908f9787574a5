import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Crimes gets the computed geo_zip/geo_community_area (filled by enrichment from the point, never
// read from the portal) and its view exposes them. Pages are ordered `date DESC NULLS LAST,
// id DESC`; the original indexes lacked NULLS LAST, which the planner cannot use for that order,
// so they are rebuilt to match it exactly.
const VIEW_COLUMNS = `id, case_number, date, block, iucr, primary_type, description, location_description,
              arrest, domestic, beat, district, ward, community_area, fbi_code,
              x_coordinate, y_coordinate, year, updated_on, latitude, longitude`;

export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `ALTER TABLE data.crimes ADD COLUMN geo_zip text, ADD COLUMN geo_community_area integer`,
    `DROP INDEX data.crimes_date_id_idx`,
    `DROP INDEX data.crimes_primary_type_date_idx`,
    `CREATE INDEX crimes_date_id_idx ON data.crimes (date DESC NULLS LAST, id DESC)`,
    `CREATE INDEX crimes_primary_type_date_idx ON data.crimes (primary_type, date DESC NULLS LAST, id DESC)`,
    `CREATE INDEX crimes_geo_zip_date_idx ON data.crimes (geo_zip, date DESC NULLS LAST, id DESC)`,
    `DROP VIEW api.crimes`,
    `CREATE VIEW api.crimes AS
       SELECT ${VIEW_COLUMNS}, geo_zip, geo_community_area
       FROM data.crimes`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    `DROP VIEW api.crimes`,
    `CREATE VIEW api.crimes AS
       SELECT ${VIEW_COLUMNS}
       FROM data.crimes`,
    `DROP INDEX data.crimes_geo_zip_date_idx`,
    `DROP INDEX data.crimes_primary_type_date_idx`,
    `DROP INDEX data.crimes_date_id_idx`,
    `CREATE INDEX crimes_date_id_idx ON data.crimes (date DESC, id DESC)`,
    `CREATE INDEX crimes_primary_type_date_idx ON data.crimes (primary_type, date DESC, id DESC)`,
    `ALTER TABLE data.crimes DROP COLUMN geo_zip, DROP COLUMN geo_community_area`,
  ]);
}
