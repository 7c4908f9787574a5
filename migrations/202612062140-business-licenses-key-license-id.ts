import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Business licenses are keyed on `license_id`, unique at the portal, instead of `id`, which is not
// (`81823-20020516` is two different licenses there; the second overwrote the first). Existing
// rows stay. One that the new key cannot hold (no license_id, or a license_id already held by a
// newer row) is set aside in lakefront.sync_rejects with the whole stored row, never dropped
// silently; `lakefront status` counts it. The keyset indexes follow the new tie-breaker.
const REJECT = (where: string, reason: string) =>
  `INSERT INTO lakefront.sync_rejects (dataset, source_id, row_id, raw, reason, first_rejected_at, last_tried_at, attempts)
   SELECT 'business-licenses', b._source_id, b._row_id,
          (to_jsonb(b) - '_source_id' - '_row_id' - '_updated_at' - 'geo_zip' - 'geo_community_area'
            || jsonb_build_object(':id', b._row_id, ':updated_at', b._updated_at))::text,
          '${reason}', now(), now(), 1
   FROM data.business_licenses b WHERE ${where}
   ON CONFLICT (dataset, source_id, row_id) DO NOTHING`;

const SHADOWED = `ctid IN (SELECT ctid FROM (
   SELECT ctid, row_number() OVER (PARTITION BY license_id ORDER BY _updated_at DESC, _row_id DESC) AS n
   FROM data.business_licenses WHERE license_id IS NOT NULL) ranked WHERE n > 1)`;

export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    REJECT('b.license_id IS NULL', 'no license_id, the key since migration 202612062140'),
    `DELETE FROM data.business_licenses WHERE license_id IS NULL`,
    REJECT(`b.${SHADOWED}`, 'license_id also held by a newer row (migration 202612062140)'),
    `DELETE FROM data.business_licenses WHERE ${SHADOWED}`,
    `ALTER TABLE data.business_licenses DROP CONSTRAINT business_licenses_pkey`,
    `ALTER TABLE data.business_licenses ALTER COLUMN id DROP NOT NULL`,
    `ALTER TABLE data.business_licenses ADD PRIMARY KEY (license_id)`,
    `DROP INDEX data.business_licenses_date_issued_id_idx`,
    `DROP INDEX data.business_licenses_license_description_date_issued_idx`,
    `DROP INDEX data.business_licenses_application_type_date_issued_idx`,
    `DROP INDEX data.business_licenses_geo_zip_date_issued_idx`,
    `CREATE INDEX business_licenses_date_issued_license_id_idx ON data.business_licenses (date_issued DESC NULLS LAST, license_id DESC)`,
    `CREATE INDEX business_licenses_license_description_date_issued_idx ON data.business_licenses (license_description, date_issued DESC NULLS LAST, license_id DESC)`,
    `CREATE INDEX business_licenses_application_type_date_issued_idx ON data.business_licenses (application_type, date_issued DESC NULLS LAST, license_id DESC)`,
    `CREATE INDEX business_licenses_geo_zip_date_issued_idx ON data.business_licenses (geo_zip, date_issued DESC NULLS LAST, license_id DESC)`,
  ]);
}

/** Back to `id` as the key; fails if the portal has meanwhile delivered two rows with one `id`. */
export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    `DROP INDEX data.business_licenses_date_issued_license_id_idx`,
    `DROP INDEX data.business_licenses_license_description_date_issued_idx`,
    `DROP INDEX data.business_licenses_application_type_date_issued_idx`,
    `DROP INDEX data.business_licenses_geo_zip_date_issued_idx`,
    `CREATE INDEX business_licenses_date_issued_id_idx ON data.business_licenses (date_issued DESC NULLS LAST, id DESC)`,
    `CREATE INDEX business_licenses_license_description_date_issued_idx ON data.business_licenses (license_description, date_issued DESC NULLS LAST, id DESC)`,
    `CREATE INDEX business_licenses_application_type_date_issued_idx ON data.business_licenses (application_type, date_issued DESC NULLS LAST, id DESC)`,
    `CREATE INDEX business_licenses_geo_zip_date_issued_idx ON data.business_licenses (geo_zip, date_issued DESC NULLS LAST, id DESC)`,
    `ALTER TABLE data.business_licenses DROP CONSTRAINT business_licenses_pkey`,
    `ALTER TABLE data.business_licenses ALTER COLUMN license_id DROP NOT NULL`,
    `ALTER TABLE data.business_licenses ADD PRIMARY KEY (id)`,
  ]);
}
