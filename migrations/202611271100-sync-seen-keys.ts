import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Keys seen by a `sync --full` pass that is under way: once the pass has read every page, rows of
// that source whose key was not seen are deleted (mark and sweep). A failed pass leaves its marks
// here and deletes nothing; the next full pass starts by clearing them.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE lakefront.sync_seen (
       dataset text NOT NULL,
       source_id text NOT NULL,
       row_key text[] NOT NULL
     )`,
    `CREATE INDEX sync_seen_source_idx ON lakefront.sync_seen (dataset, source_id)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP TABLE IF EXISTS lakefront.sync_seen`]);
}
