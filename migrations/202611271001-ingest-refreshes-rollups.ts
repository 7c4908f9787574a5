import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

/**
 * Refreshing a materialized view needs its owner's rights, and the report rollups in `api` belong
 * to the migrating role. Rather than hand `lakefront_ingest` ownership (which would let it drop
 * or replace what the API serves), this function refreshes a rollup with the owner's rights and
 * refuses anything that is not a materialized view in `api`. Only the ingest role may call it.
 */
const SIGNATURE = 'lakefront.refresh_rollup(text, boolean)';

export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    // The name is resolved inside, with the owner's rights: the caller needs no access to `api`.
    `CREATE FUNCTION lakefront.refresh_rollup(name text, non_blocking boolean DEFAULT true) RETURNS void
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
       DECLARE
         rollup regclass := to_regclass(name);
       BEGIN
         IF rollup IS NULL OR NOT EXISTS (
           SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.oid = rollup AND c.relkind = 'm' AND n.nspname = 'api'
         ) THEN
           RAISE EXCEPTION 'not a report rollup: %', name USING ERRCODE = '42501';
         END IF;
         IF non_blocking THEN
           EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', rollup);
         ELSE
           EXECUTE format('REFRESH MATERIALIZED VIEW %s', rollup);
         END IF;
       END
     $$`,
    `REVOKE ALL ON FUNCTION ${SIGNATURE} FROM PUBLIC`,
  ]);
  // Roles exist only on a real server (see 202611271000-least-privilege-roles).
  if (knex.client.config.client === 'pg') await execAll(knex, [`GRANT EXECUTE ON FUNCTION ${SIGNATURE} TO lakefront_ingest`]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [`DROP FUNCTION IF EXISTS ${SIGNATURE}`]);
}
