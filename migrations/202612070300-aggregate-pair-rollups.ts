import type { Knex } from 'knex';
import { findDataset } from '../core/datasets/index.js';
import { execAll } from '../core/db/migrate.js';
import { ident } from '../core/db/sql-ident.js';

// Month rollups over pairs of groupable columns (see core/aggregate/rollups.ts), so that a count by
// one column among the rows of another (crimes by community area among thefts; a year of district
// 011 by type and month) is read from the rollups, not from the table: at 8M crimes such a question
// read 320,000 to 1.7M rows (1.2-10 s). A pair's rows have `dim` 'a,b' (the two columns in the
// dataset's groupable order), `value` a's value and `value2` b's, both as text, NULL kept. Pairs
// have month rows only: day rows of every pair would outnumber the table's rows.
//
// The triggers record changes for pairs too (one GROUPING SET per pair; a day's -1/+1 as for a
// single column). Every tracked dataset's days are marked, so the next refresh builds the pairs,
// and until then the status view sends every aggregate to the table.
export async function up(knex: Knex): Promise<void> {
  const tracked = (await knex('data.aggregate_tracked').pluck('dataset')) as string[];
  await execAll(knex, [
    `ALTER TABLE data.aggregate_rollups ADD COLUMN value2 text`,
    `ALTER TABLE data.aggregate_changes ADD COLUMN value2 text`,
    `CREATE UNIQUE INDEX aggregate_rollups_pair_key_idx ON data.aggregate_rollups (dataset, grain, dim, period, value, value2) INCLUDE (count) NULLS NOT DISTINCT`,
    `DROP INDEX data.aggregate_rollups_key_idx`,
    `ALTER INDEX data.aggregate_rollups_pair_key_idx RENAME TO aggregate_rollups_key_idx`,
    `CREATE OR REPLACE VIEW api.aggregate_rollups AS SELECT dataset, grain, dim, period, value, count, value2 FROM data.aggregate_rollups`,
    markDirtyFunction(true),
    ...tracked.flatMap((key) => {
      const dataset = findDataset(key);
      if (!dataset?.timeColumn) return [];
      return [
        `INSERT INTO data.aggregate_dirty (dataset, day)
           SELECT DISTINCT '${key.replaceAll("'", "''")}', ${ident(dataset.timeColumn)}::date FROM data.${ident(dataset.table)}
           ON CONFLICT DO NOTHING`,
      ];
    }),
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    markDirtyFunction(false),
    `DELETE FROM data.aggregate_changes WHERE strpos(dim, ',') > 0`,
    `DELETE FROM data.aggregate_rollups WHERE strpos(dim, ',') > 0`,
    // A view cannot lose a column in place; its grants come back from the schema's default privileges.
    `DROP VIEW api.aggregate_rollups`,
    `CREATE VIEW api.aggregate_rollups AS SELECT dataset, grain, dim, period, value, count FROM data.aggregate_rollups`,
    `CREATE UNIQUE INDEX aggregate_rollups_single_key_idx ON data.aggregate_rollups (dataset, grain, dim, period, value) INCLUDE (count) NULLS NOT DISTINCT`,
    `DROP INDEX data.aggregate_rollups_key_idx`,
    `ALTER INDEX data.aggregate_rollups_single_key_idx RENAME TO aggregate_rollups_key_idx`,
    `ALTER TABLE data.aggregate_changes DROP COLUMN value2`,
    `ALTER TABLE data.aggregate_rollups DROP COLUMN value2`,
  ]);
}

/**
 * The trigger function of 202612070040-aggregate-changes; with `pairs`, its GROUPING SETS also
 * hold (day, a, b) for every pair of tracked columns, answered as dim 'a,b', value a, value2 b.
 * A CASE tests pairs before single columns: in a pair's set both columns are grouped.
 */
function markDirtyFunction(pairs: boolean): string {
  const pairSql = pairs
    ? `SELECT string_agg(format('WHEN GROUPING(%I) = 0 AND GROUPING(%I) = 0 THEN %L', a.d, b.d, a.d || ',' || b.d), ' ' ORDER BY a.i, b.i),
              string_agg(format('WHEN GROUPING(%I) = 0 AND GROUPING(%I) = 0 THEN %I::text', a.d, b.d, a.d), ' ' ORDER BY a.i, b.i),
              string_agg(format('WHEN GROUPING(%I) = 0 AND GROUPING(%I) = 0 THEN %I::text', a.d, b.d, b.d), ' ' ORDER BY a.i, b.i),
              string_agg(format('(lakefront_day, %I, %I)', a.d, b.d), ', ' ORDER BY a.i, b.i)
         INTO pair_dim_sql, pair_value_sql, pair_value2_sql, pair_sets
         FROM unnest(dims) WITH ORDINALITY AS a(d, i) JOIN unnest(dims) WITH ORDINALITY AS b(d, i) ON a.i < b.i;`
    : '';
  return `CREATE OR REPLACE FUNCTION lakefront.aggregate_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         dataset_key text := TG_ARGV[0];
         time_column text := TG_ARGV[1];
         dims text[];
         changed text;
         old_count bigint;
         dim_sql text := '''''';
         value_sql text := 'NULL::text';
         value2_sql text := 'NULL::text';
         sets text := '(lakefront_day)';
         pair_dim_sql text;
         pair_value_sql text;
         pair_value2_sql text;
         pair_sets text;
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
           ${pairSql}
           SELECT 'CASE ' || coalesce(pair_dim_sql, '') || ' ' || string_agg(format('WHEN GROUPING(%I) = 0 THEN %L', d, d), ' ') || ' ELSE '''' END',
                  'CASE ' || coalesce(pair_value_sql, '') || ' ' || string_agg(format('WHEN GROUPING(%I) = 0 THEN %I::text', d, d), ' ') || ' END',
                  CASE WHEN pair_value2_sql IS NULL THEN 'NULL::text' ELSE 'CASE ' || pair_value2_sql || ' END' END,
                  '(lakefront_day), ' || string_agg(format('(lakefront_day, %I)', d), ', ') || coalesce(', ' || pair_sets, '')
             INTO dim_sql, value_sql, value2_sql, sets FROM unnest(dims) AS d;
         END IF;
         EXECUTE format(
           'INSERT INTO data.aggregate_changes (dataset, day, dim, value${pairs ? ', value2' : ''}, delta)
            SELECT %L, lakefront_day, %s, %s${pairs ? ', %s' : ''}, sum(lakefront_sign) FROM (%s) changed
            GROUP BY GROUPING SETS (%s) HAVING sum(lakefront_sign) <> 0',
           dataset_key, dim_sql, value_sql${pairs ? ', value2_sql' : ''}, changed, sets);
         RETURN NULL;
       END
     $$`;
}
