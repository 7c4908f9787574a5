import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Columns follow core/datasets/business-licenses.ts, plus geo_zip/geo_community_area,
// which Lakefront computes from the point (never read from the portal), and the bookkeeping `_source_id` (portal id),
// `_row_id` (Socrata `:id`) and `_updated_at` (`:updated_at` of the version loaded).
// Pages are ordered `date_issued DESC NULLS LAST, id DESC`;
// the indexes match that order exactly (NULLS LAST included) so the planner can walk them for
// keyset paging, alone or after an equality filter.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.business_licenses (
       id                                text NOT NULL,
       license_id                        text,
       account_number                    text,
       site_number                       text,
       legal_name                        text,
       doing_business_as_name            text,
       address                           text,
       city                              text,
       state                             text,
       zip_code                          text,
       ward                              text,
       precinct                          text,
       ward_precinct                     text,
       police_district                   text,
       community_area                    text,
       community_area_name               text,
       neighborhood                      text,
       license_code                      text,
       license_description               text,
       business_activity_id              text,
       business_activity                 text,
       license_number                    text,
       application_type                  text,
       application_created_date          timestamp,
       application_requirements_complete timestamp,
       payment_date                      timestamp,
       conditional_approval              text,
       license_start_date                timestamp,
       expiration_date                   timestamp,
       license_approved_for_issuance     timestamp,
       date_issued                       timestamp,
       license_status                    text,
       license_status_change_date        timestamp,
       ssa                               text,
       latitude                          double precision,
       longitude                         double precision,
       geo_zip                           text,
       geo_community_area                integer,
       _source_id                        text NOT NULL,
       _row_id                           text NOT NULL,
       _updated_at                       timestamptz NOT NULL,
       PRIMARY KEY (id)
     )`,
    `CREATE INDEX business_licenses_date_issued_id_idx ON data.business_licenses (date_issued DESC NULLS LAST, id DESC)`,
    `CREATE INDEX business_licenses_license_description_date_issued_idx ON data.business_licenses (license_description, date_issued DESC NULLS LAST, id DESC)`,
    `CREATE INDEX business_licenses_application_type_date_issued_idx ON data.business_licenses (application_type, date_issued DESC NULLS LAST, id DESC)`,
    `CREATE INDEX business_licenses_geo_zip_date_issued_idx ON data.business_licenses (geo_zip, date_issued DESC NULLS LAST, id DESC)`,
    `CREATE VIEW api.business_licenses AS
       SELECT id, license_id, account_number, site_number, legal_name, doing_business_as_name, address,
              city, state, zip_code, ward, precinct, ward_precinct, police_district, community_area,
              community_area_name, neighborhood, license_code, license_description, business_activity_id,
              business_activity, license_number, application_type, application_created_date,
              application_requirements_complete, payment_date, conditional_approval, license_start_date,
              expiration_date, license_approved_for_issuance, date_issued, license_status,
              license_status_change_date, ssa, latitude, longitude, geo_zip, geo_community_area
       FROM data.business_licenses`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.business_licenses`, `DROP TABLE IF EXISTS data.business_licenses`]);
}
