import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// The hour of day joins the rollups' dimensions (core/aggregate/model.ts, `dims`): counted per
// day alone and per month with each column, so `bucket=hour` (crashes by hour of day; the
// explorer's hour view under a filter) is read from the rollups, not from every row of the table.
// The triggers' changes carry it as a column "@hour" beside the row's own; the refresh adds the
// dimension to `aggregate_tracked.dims`, and a dimension it did not hold before marks every day,
// so the first refresh rebuilds. Until the rollups hold a dimension, the API does not read it from
// them: the status view now says which dimensions they hold (`dims`).
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, [
    markDirtyFunction(true),
    `CREATE OR REPLACE VIEW api.aggregate_status AS
       SELECT t.dataset,
              NOT EXISTS (SELECT 1 FROM data.aggregate_dirty d WHERE d.dataset = t.dataset)
              AND NOT EXISTS (SELECT 1 FROM lakefront.deferred_indexes x WHERE x.kind = 'aggregate-trigger' AND x.dataset = t.dataset)
              AND NOT EXISTS (SELECT 1 FROM data.aggregate_changes c WHERE c.dataset = t.dataset) AS current,
              t.dims
       FROM data.aggregate_tracked t`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    markDirtyFunction(false),
    `DELETE FROM data.aggregate_changes WHERE dim LIKE '%@hour%'`,
    `DELETE FROM data.aggregate_rollups WHERE dim LIKE '%@hour%'`,
    `UPDATE data.aggregate_tracked SET dims = array_remove(dims, '@hour')`,
    `DROP VIEW api.aggregate_status`,
    `CREATE VIEW api.aggregate_status AS
       SELECT t.dataset,
              NOT EXISTS (SELECT 1 FROM data.aggregate_dirty d WHERE d.dataset = t.dataset)
              AND NOT EXISTS (SELECT 1 FROM lakefront.deferred_indexes x WHERE x.kind = 'aggregate-trigger' AND x.dataset = t.dataset)
              AND NOT EXISTS (SELECT 1 FROM data.aggregate_changes c WHERE c.dataset = t.dataset) AS current
       FROM data.aggregate_tracked t`,
  ]);
}

/**
 * The trigger function of 202612070300-aggregate-pair-rollups (pairs of dimensions, month rows);
 * with `hourOfDay`, the changed rows also carry "@hour", so it can be one of the dimensions.
 */
function markDirtyFunction(hourOfDay: boolean): string {
  const pairSql = `SELECT string_agg(format('WHEN GROUPING(%I) = 0 AND GROUPING(%I) = 0 THEN %L', a.d, b.d, a.d || ',' || b.d), ' ' ORDER BY a.i, b.i),
              string_agg(format('WHEN GROUPING(%I) = 0 AND GROUPING(%I) = 0 THEN %I::text', a.d, b.d, a.d), ' ' ORDER BY a.i, b.i),
              string_agg(format('WHEN GROUPING(%I) = 0 AND GROUPING(%I) = 0 THEN %I::text', a.d, b.d, b.d), ' ' ORDER BY a.i, b.i),
              string_agg(format('(lakefront_day, %I, %I)', a.d, b.d), ', ' ORDER BY a.i, b.i)
         INTO pair_dim_sql, pair_value_sql, pair_value2_sql, pair_sets
         FROM unnest(dims) WITH ORDINALITY AS a(d, i) JOIN unnest(dims) WITH ORDINALITY AS b(d, i) ON a.i < b.i;`;
  // The hour of day, as the dimension "@hour" (core/aggregate/model.ts HOUR_DIM), beside the row's columns.
  const hour = hourOfDay ? `, extract(hour FROM %I)::int AS "@hour"` : '';
  const hourArg = hourOfDay ? ', time_column' : '';
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
         changed := format('SELECT %I::date AS lakefront_day${hour}, -1 AS lakefront_sign, * FROM old_rows', time_column${hourArg});
         IF TG_OP = 'UPDATE' THEN
           changed := changed || format(' UNION ALL SELECT %I::date${hour ? ', extract(hour FROM %I)::int' : ''}, 1, * FROM new_rows', time_column${hourArg});
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
           'INSERT INTO data.aggregate_changes (dataset, day, dim, value, value2, delta)
            SELECT %L, lakefront_day, %s, %s, %s, sum(lakefront_sign) FROM (%s) changed
            GROUP BY GROUPING SETS (%s) HAVING sum(lakefront_sign) <> 0',
           dataset_key, dim_sql, value_sql, value2_sql, changed, sets);
         RETURN NULL;
       END
     $$`;
}
