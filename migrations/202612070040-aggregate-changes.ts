import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// Updates and deletes feed the aggregate rollups as changes, not as days to recompute (see
// core/aggregate/rollups.ts): their statement triggers record, per day, groupable column and
// value, how the count changed (old rows -1, new rows +1; an update that moves no row between
// groups records nothing). The refresh adds them to the rollups, so its cost follows the rows
// that changed, however many rows their days hold. Inserts still mark their days: new rows come
// in bulk on a few recent days (a backfill on all of them), where recomputing those days is cheaper.
// The triggers stay as trackAggregatesSql made them, on the same function (so a deferred load,
// 202612070030-deferred-indexes, still finds and disables all three); its body now does both.
// Which columns a dataset's changes are recorded for is kept in `aggregate_tracked.dims` by the
// refresh (NULL until then: the triggers mark days, as before). A statement that changes more than
// 50,000 rows (recomputing every row's geo columns, say) marks days too: one pass over the table
// then costs less than its changes. A sync writes pages of 10,000 rows.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    `CREATE TABLE data.aggregate_changes (dataset text NOT NULL, day date, dim text NOT NULL, value text, delta bigint NOT NULL)`,
    `CREATE INDEX aggregate_changes_dataset_idx ON data.aggregate_changes (dataset)`,
    `ALTER TABLE data.aggregate_tracked ADD COLUMN dims text[]`,
    // One row per key, so that a refresh can add changes to it (ON CONFLICT); it also serves reads.
    `CREATE UNIQUE INDEX aggregate_rollups_key_idx ON data.aggregate_rollups (dataset, grain, dim, period, value) NULLS NOT DISTINCT`,
    `DROP INDEX data.aggregate_rollups_read_idx`,
    `CREATE OR REPLACE FUNCTION lakefront.aggregate_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         dataset_key text := TG_ARGV[0];
         time_column text := TG_ARGV[1];
         dims text[];
         changed text;
         old_count bigint;
         dim_sql text := '''''';
         value_sql text := 'NULL::text';
         sets text := '(lakefront_day)';
       BEGIN
         IF TG_OP = 'INSERT' THEN
           EXECUTE format('INSERT INTO data.aggregate_dirty (dataset, day) SELECT DISTINCT %L, %I::date FROM new_rows ON CONFLICT DO NOTHING', dataset_key, time_column);
           RETURN NULL;
         END IF;
         SELECT t.dims INTO dims FROM data.aggregate_tracked t WHERE t.dataset = dataset_key;
         EXECUTE 'SELECT count(*) FROM old_rows' INTO old_count;
         IF dims IS NULL OR old_count > 50000 THEN
           EXECUTE format('INSERT INTO data.aggregate_dirty (dataset, day) SELECT DISTINCT %L, %I::date FROM old_rows ON CONFLICT DO NOTHING', dataset_key, time_column);
           IF TG_OP = 'UPDATE' THEN
             EXECUTE format('INSERT INTO data.aggregate_dirty (dataset, day) SELECT DISTINCT %L, %I::date FROM new_rows ON CONFLICT DO NOTHING', dataset_key, time_column);
           END IF;
           RETURN NULL;
         END IF;
         changed := format('SELECT %I::date AS lakefront_day, -1 AS lakefront_sign, * FROM old_rows', time_column);
         IF TG_OP = 'UPDATE' THEN
           changed := changed || format(' UNION ALL SELECT %I::date, 1, * FROM new_rows', time_column);
         END IF;
         IF cardinality(dims) > 0 THEN
           SELECT 'CASE ' || string_agg(format('WHEN GROUPING(%I) = 0 THEN %L', d, d), ' ') || ' ELSE '''' END',
                  'COALESCE(' || string_agg(format('CASE WHEN GROUPING(%I) = 0 THEN %I::text END', d, d), ', ') || ')',
                  '(lakefront_day), ' || string_agg(format('(lakefront_day, %I)', d), ', ')
             INTO dim_sql, value_sql, sets FROM unnest(dims) AS d;
         END IF;
         EXECUTE format(
           'INSERT INTO data.aggregate_changes (dataset, day, dim, value, delta)
            SELECT %L, lakefront_day, %s, %s, sum(lakefront_sign) FROM (%s) changed
            GROUP BY GROUPING SETS (%s) HAVING sum(lakefront_sign) <> 0',
           dataset_key, dim_sql, value_sql, changed, sets);
         RETURN NULL;
       END
     $$`,
    // Current: no day to recompute, no change to add, no load with its triggers deferred (202612070030-deferred-indexes).
    `CREATE OR REPLACE VIEW api.aggregate_status AS
       SELECT t.dataset,
              NOT EXISTS (SELECT 1 FROM data.aggregate_dirty d WHERE d.dataset = t.dataset)
              AND NOT EXISTS (SELECT 1 FROM lakefront.deferred_indexes x WHERE x.kind = 'aggregate-trigger' AND x.dataset = t.dataset)
              AND NOT EXISTS (SELECT 1 FROM data.aggregate_changes c WHERE c.dataset = t.dataset) AS current
       FROM data.aggregate_tracked t`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  // Back to marking days for every write; changes not yet added go with their table, their days
  // marked for the next refresh instead.
  await execAll(knex, [
    `CREATE OR REPLACE FUNCTION lakefront.aggregate_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'DELETE' THEN
           EXECUTE format('INSERT INTO data.aggregate_dirty (dataset, day) SELECT DISTINCT %L, %I::date FROM new_rows ON CONFLICT DO NOTHING', TG_ARGV[0], TG_ARGV[1]);
         END IF;
         IF TG_OP <> 'INSERT' THEN
           EXECUTE format('INSERT INTO data.aggregate_dirty (dataset, day) SELECT DISTINCT %L, %I::date FROM old_rows ON CONFLICT DO NOTHING', TG_ARGV[0], TG_ARGV[1]);
         END IF;
         RETURN NULL;
       END
     $$`,
    `INSERT INTO data.aggregate_dirty (dataset, day) SELECT DISTINCT c.dataset, c.day FROM data.aggregate_changes c ON CONFLICT DO NOTHING`,
    `CREATE OR REPLACE VIEW api.aggregate_status AS
       SELECT t.dataset,
              NOT EXISTS (SELECT 1 FROM data.aggregate_dirty d WHERE d.dataset = t.dataset)
              AND NOT EXISTS (SELECT 1 FROM lakefront.deferred_indexes x WHERE x.kind = 'aggregate-trigger' AND x.dataset = t.dataset) AS current
       FROM data.aggregate_tracked t`,
    `CREATE INDEX aggregate_rollups_read_idx ON data.aggregate_rollups (dataset, grain, dim, period)`,
    `DROP INDEX data.aggregate_rollups_key_idx`,
    `ALTER TABLE data.aggregate_tracked DROP COLUMN dims`,
    `DROP TABLE data.aggregate_changes`,
  ]);
}
