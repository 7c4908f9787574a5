import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// The data version behind the API's ETags (core/db/data-version.ts): one row per dataset (and per
// dataset's report rollups, `rollups:<key>`), moved on by every writer that changed what the API
// serves. One sequence for all, so a version never repeats, even if a row is deleted. The API
// reads it through a view in `api`, like every other table.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE SEQUENCE lakefront.data_version_seq`,
    `CREATE TABLE lakefront.data_version (
       dataset text PRIMARY KEY,
       version bigint NOT NULL,
       changed_at timestamptz NOT NULL
     )`,
    // Data loaded before this migration has a version already: its last successful sync.
    `INSERT INTO lakefront.data_version (dataset, version, changed_at)
       SELECT dataset, nextval('lakefront.data_version_seq'), max(last_success_at)
       FROM lakefront.sync_state WHERE last_success_at IS NOT NULL GROUP BY dataset`,
    `CREATE VIEW api.data_version AS SELECT dataset, version, changed_at FROM lakefront.data_version`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP VIEW IF EXISTS api.data_version`, `DROP TABLE IF EXISTS lakefront.data_version`, `DROP SEQUENCE IF EXISTS lakefront.data_version_seq`]);
}
