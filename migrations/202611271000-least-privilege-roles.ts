import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

/**
 * Two group roles for least privilege on a real PostgreSQL server:
 *
 * - `lakefront_api` may read the views in schema `api` and nothing else (the views run with
 *   their owner's rights, so the tables in `data` stay closed to it). Its sessions are read-only
 *   and time-limited even if someone grants it more by mistake.
 * - `lakefront_ingest` reads and writes the tables of `data` and `lakefront` (and may create
 *   tables there), and nothing else: not `api`, not `public` (where knex keeps its migrations).
 *
 * Both are NOLOGIN; an operator gives one a login with a single line, e.g.
 *   ALTER ROLE lakefront_api LOGIN PASSWORD 'choose-one';
 * and points `API_DATABASE_URL` at it. Migrations themselves run as the owner (`DATABASE_URL`).
 *
 * Roles belong to the whole cluster, so creating one tolerates its existence (another database,
 * or a concurrent migration). PGlite has no logins: there only the `api.sync_state` view is made.
 */
const API_ROLE = 'lakefront_api';
const INGEST_ROLE = 'lakefront_ingest';
const WRITABLE_SCHEMAS = 'data, lakefront';

function createRole(name: string): string {
  return `DO $$ BEGIN CREATE ROLE ${name} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`;
}

/** knex-pglite passes its client class; only node-postgres (`'pg'`) talks to a server with roles. */
function hasRoles(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}

export async function up(knex: Knex): Promise<void> {
  // The API reads sync bookkeeping (row counts, freshness) through this view, not the table.
  await execAll(knex, [
    `CREATE VIEW api.sync_state AS
       SELECT dataset, source_id, rows_total, last_started_at, last_success_at, last_duration_ms
       FROM lakefront.sync_state`,
  ]);
  if (!hasRoles(knex)) return;
  await execAll(knex, [
    createRole(API_ROLE),
    createRole(INGEST_ROLE),
    `ALTER ROLE ${API_ROLE} SET default_transaction_read_only = on`,
    `ALTER ROLE ${API_ROLE} SET statement_timeout = '15s'`,
    `DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${API_ROLE}, ${INGEST_ROLE}', current_database()); END $$`,

    `GRANT USAGE ON SCHEMA api TO ${API_ROLE}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA api TO ${API_ROLE}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA api GRANT SELECT ON TABLES TO ${API_ROLE}`,

    `GRANT USAGE, CREATE ON SCHEMA ${WRITABLE_SCHEMAS} TO ${INGEST_ROLE}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA ${WRITABLE_SCHEMAS} TO ${INGEST_ROLE}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${WRITABLE_SCHEMAS} TO ${INGEST_ROLE}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${WRITABLE_SCHEMAS} GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO ${INGEST_ROLE}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${WRITABLE_SCHEMAS} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${INGEST_ROLE}`,
  ]);
}

/** Revokes what `up` granted in this database; the roles stay, other databases may use them. */
export async function down(knex: Knex): Promise<void> {
  if (hasRoles(knex)) {
    await execAll(knex, [
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${WRITABLE_SCHEMAS} REVOKE ALL ON SEQUENCES FROM ${INGEST_ROLE}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${WRITABLE_SCHEMAS} REVOKE ALL ON TABLES FROM ${INGEST_ROLE}`,
      `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${WRITABLE_SCHEMAS} FROM ${INGEST_ROLE}`,
      `REVOKE ALL ON ALL TABLES IN SCHEMA ${WRITABLE_SCHEMAS} FROM ${INGEST_ROLE}`,
      `REVOKE ALL ON SCHEMA ${WRITABLE_SCHEMAS} FROM ${INGEST_ROLE}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA api REVOKE ALL ON TABLES FROM ${API_ROLE}`,
      `REVOKE ALL ON ALL TABLES IN SCHEMA api FROM ${API_ROLE}`,
      `REVOKE ALL ON SCHEMA api FROM ${API_ROLE}`,
      `DO $$ BEGIN EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM ${API_ROLE}, ${INGEST_ROLE}', current_database()); END $$`,
    ]);
  }
  await execAll(knex, [`DROP VIEW IF EXISTS api.sync_state`]);
}
