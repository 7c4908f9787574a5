import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

/**
 * Load first, index after (as pg_restore does) for a sync into an empty table; see
 * ingest/sync/deferred-indexes.ts for the protocol.
 *
 * - `lakefront.deferred_indexes` is the journal: what `defer_indexes` took off a table (each
 *   secondary index with its definition as pg_indexes gives it, each aggregate day-marking
 *   trigger it disabled). Rows exist only between a defer and its restore, so a crash in between
 *   leaves the journal behind and the next sync restores from it.
 * - `defer_indexes(table)` does so only when the table is empty, and returns whether it did.
 * - `restore_indexes(table)` rebuilds what the journal holds, marks set-wise every day the
 *   disabled triggers would have marked, re-enables them and clears the journal: one transaction,
 *   so it happens whole or not at all, and it can be repeated.
 *
 * Both run with the owner's rights (the ingest role owns no table), only on tables in `data`
 * that the owner owns. The journal is closed to the ingest role: `restore_indexes` executes the
 * definitions it holds.
 *
 * While a load is deferred the aggregate rollups of its dataset are said to be behind
 * (`api.aggregate_status`), so the API reads the table rather than rollups that lack the load.
 */
const DEFER = 'lakefront.defer_indexes(text)';
const RESTORE = 'lakefront.restore_indexes(text)';

/** The checks both functions start with: `rel` is a table of `data` that the function's owner owns. */
const CHECK_TARGET = `
  IF rel IS NULL OR NOT EXISTS (
    SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = rel AND c.relkind = 'r' AND n.nspname = 'data' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
  ) THEN
    RAISE EXCEPTION 'not a Lakefront data table: %', target USING ERRCODE = '42501';
  END IF;
  -- The journal's key, spelled the same whatever the caller's search_path.
  SELECT format('%I.%I', n.nspname, c.relname) INTO qualified FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel;`;

const STATUS_BEFORE = `CREATE OR REPLACE VIEW api.aggregate_status AS
       SELECT t.dataset, NOT EXISTS (SELECT 1 FROM data.aggregate_dirty d WHERE d.dataset = t.dataset) AS current
       FROM data.aggregate_tracked t`;

export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE lakefront.deferred_indexes (
       table_name text NOT NULL,
       kind text NOT NULL CHECK (kind IN ('index', 'aggregate-trigger')),
       name text NOT NULL,
       definition text,
       clustered boolean NOT NULL DEFAULT false,
       comment text,
       dataset text,
       time_column text,
       PRIMARY KEY (table_name, kind, name)
     )`,
    `CREATE FUNCTION lakefront.defer_indexes(target text) RETURNS boolean
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
       DECLARE
         rel regclass := to_regclass(target);
         mark_dirty regprocedure := to_regprocedure('lakefront.aggregate_mark_dirty()');
         qualified text;
         has_rows boolean;
         item record;
       BEGIN
         ${CHECK_TARGET}
         -- Writers wait until this commits; the emptiness read below then stays true.
         EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', rel);
         IF EXISTS (SELECT 1 FROM lakefront.deferred_indexes WHERE table_name = qualified) THEN
           RAISE EXCEPTION 'indexes of % are already deferred; restore them first', rel USING ERRCODE = '55000';
         END IF;
         EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', rel) INTO has_rows;
         IF has_rows THEN
           RETURN false;
         END IF;
         -- Secondary indexes only: the primary key, unique and constraint indexes keep enforcing.
         FOR item IN
           SELECT i.indexrelid::regclass AS index, c.relname AS name, x.indexdef, i.indisclustered AS clustered,
                  obj_description(i.indexrelid, 'pg_class') AS comment
           FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_indexes x ON x.schemaname = 'data' AND x.indexname = c.relname
           WHERE i.indrelid = rel AND NOT i.indisprimary AND NOT i.indisunique AND NOT i.indisexclusion
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
         LOOP
           INSERT INTO lakefront.deferred_indexes (table_name, kind, name, definition, clustered, comment)
           VALUES (qualified, 'index', item.name, item.indexdef, item.clustered, item.comment);
           EXECUTE format('DROP INDEX %s', item.index);
         END LOOP;
         -- The aggregate day-marking triggers: restore_indexes marks their days set-wise.
         FOR item IN
           SELECT t.tgname AS name,
                  split_part(encode(t.tgargs, 'escape'), '\\000', 1) AS dataset,
                  split_part(encode(t.tgargs, 'escape'), '\\000', 2) AS time_column
           FROM pg_trigger t
           WHERE t.tgrelid = rel AND NOT t.tgisinternal AND t.tgenabled = 'O' AND t.tgfoid = mark_dirty
         LOOP
           INSERT INTO lakefront.deferred_indexes (table_name, kind, name, dataset, time_column)
           VALUES (qualified, 'aggregate-trigger', item.name, item.dataset, item.time_column);
           EXECUTE format('ALTER TABLE %s DISABLE TRIGGER %I', rel, item.name);
         END LOOP;
         RETURN true;
       END
     $$`,
    `CREATE FUNCTION lakefront.restore_indexes(target text) RETURNS integer
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
       DECLARE
         rel regclass := to_regclass(target);
         schema_name name;
         qualified text;
         item record;
         restored integer := 0;
       BEGIN
         ${CHECK_TARGET}
         SELECT n.nspname INTO schema_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel;
         FOR item IN SELECT * FROM lakefront.deferred_indexes WHERE table_name = qualified AND kind = 'index' ORDER BY name LOOP
           -- Idempotent: an index already there (rebuilt by hand) is kept as it is.
           IF to_regclass(format('%I.%I', schema_name, item.name)) IS NULL THEN
             EXECUTE item.definition;
           END IF;
           IF item.clustered THEN
             EXECUTE format('ALTER TABLE %s CLUSTER ON %I', rel, item.name);
           END IF;
           IF item.comment IS NOT NULL THEN
             EXECUTE format('COMMENT ON INDEX %I.%I IS %L', schema_name, item.name, item.comment);
           END IF;
           restored := restored + 1;
         END LOOP;
         -- What the disabled triggers would have marked, set-wise: every day the table holds now, and
         -- every day the rollups hold (the rows they counted may be gone), the NULL day included.
         FOR item IN SELECT DISTINCT dataset, time_column FROM lakefront.deferred_indexes WHERE table_name = qualified AND kind = 'aggregate-trigger' LOOP
           EXECUTE format(
             'INSERT INTO data.aggregate_dirty (dataset, day) SELECT %L, %I::date FROM %s UNION SELECT dataset, period FROM data.aggregate_rollups WHERE dataset = %L AND grain = %L ON CONFLICT DO NOTHING',
             item.dataset, item.time_column, rel, item.dataset, 'day');
         END LOOP;
         FOR item IN SELECT name FROM lakefront.deferred_indexes WHERE table_name = qualified AND kind = 'aggregate-trigger' LOOP
           IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = rel AND tgname = item.name) THEN
             EXECUTE format('ALTER TABLE %s ENABLE TRIGGER %I', rel, item.name);
           END IF;
           restored := restored + 1;
         END LOOP;
         DELETE FROM lakefront.deferred_indexes WHERE table_name = qualified;
         IF restored > 0 THEN
           -- A freshly loaded table has no statistics yet; the API plans with them at once.
           EXECUTE format('ANALYZE %s', rel);
         END IF;
         RETURN restored;
       END
     $$`,
    `REVOKE ALL ON FUNCTION ${DEFER} FROM PUBLIC`,
    `REVOKE ALL ON FUNCTION ${RESTORE} FROM PUBLIC`,
    `CREATE OR REPLACE VIEW api.aggregate_status AS
       SELECT t.dataset,
              NOT EXISTS (SELECT 1 FROM data.aggregate_dirty d WHERE d.dataset = t.dataset)
              AND NOT EXISTS (SELECT 1 FROM lakefront.deferred_indexes x WHERE x.kind = 'aggregate-trigger' AND x.dataset = t.dataset) AS current
       FROM data.aggregate_tracked t`,
  ]);
  // Roles exist only on a real server (see 202611271000-least-privilege-roles). The ingest role's
  // default privileges on schema lakefront would let it write the journal: taken back.
  if (knex.client.config.client === 'pg') {
    await execAll(knex, [
      `REVOKE ALL ON lakefront.deferred_indexes FROM lakefront_ingest`,
      `GRANT SELECT ON lakefront.deferred_indexes TO lakefront_ingest`,
      `GRANT EXECUTE ON FUNCTION ${DEFER} TO lakefront_ingest`,
      `GRANT EXECUTE ON FUNCTION ${RESTORE} TO lakefront_ingest`,
    ]);
  }
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [STATUS_BEFORE, `DROP FUNCTION IF EXISTS ${RESTORE}`, `DROP FUNCTION IF EXISTS ${DEFER}`, `DROP TABLE IF EXISTS lakefront.deferred_indexes`]);
}
