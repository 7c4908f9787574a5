import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// The crime rollups again, now stored in the order they are read (a report reads one year, or
// one ZIP): a plain refresh writes them in that order, so a request reads a few dozen pages
// instead of one page per row. Trends get a rollup per interval, so a monthly trend of one ZIP
// reads ~300 rows rather than ~9,000 days. `date_trunc` works on `timestamp`, not on the
// session-time-zone `timestamptz` a bare `date` would be cast to.
const VIEWS: readonly { name: string; sql: string; unique: string }[] = [
  {
    name: 'crimes_zip_type_day',
    sql: `SELECT geo_zip AS zip, primary_type, date::date AS day, count(*)::int AS count
          FROM data.crimes WHERE geo_zip IS NOT NULL AND date IS NOT NULL
          GROUP BY 1, 2, 3 ORDER BY 3, 1, 2`,
    unique: '(day, zip, primary_type)',
  },
  {
    name: 'crimes_zip_type_month',
    sql: `SELECT zip, primary_type, date_trunc('month', day::timestamp)::date AS month, sum(count)::int AS count
          FROM api.crimes_zip_type_day GROUP BY 1, 2, 3 ORDER BY 3, 1, 2`,
    unique: '(month, zip, primary_type)',
  },
  {
    name: 'crimes_zip_day',
    sql: `SELECT zip, day, sum(count)::int AS count FROM api.crimes_zip_type_day GROUP BY 1, 2 ORDER BY 1, 2`,
    unique: '(zip, day)',
  },
  {
    name: 'crimes_zip_week',
    sql: `SELECT zip, date_trunc('week', day::timestamp)::date AS week, sum(count)::int AS count
          FROM api.crimes_zip_day GROUP BY 1, 2 ORDER BY 1, 2`,
    unique: '(zip, week)',
  },
  {
    name: 'crimes_zip_month',
    sql: `SELECT zip, date_trunc('month', day::timestamp)::date AS month, sum(count)::int AS count
          FROM api.crimes_zip_day GROUP BY 1, 2 ORDER BY 1, 2`,
    unique: '(zip, month)',
  },
  {
    name: 'crimes_per_capita',
    sql: `SELECT c.zip, c.year, c.count, p.population_total AS population,
                 round(c.count * 1000.0 / p.population_total, 2) AS per_1000
          FROM (SELECT zip, extract(year FROM month)::int AS year, sum(count)::int AS count
                FROM api.crimes_zip_month GROUP BY 1, 2) c
          JOIN data.population p
            ON p.geography = c.zip AND p.year = c.year AND p.geography_type <> 'Citywide' AND p.population_total > 0
          ORDER BY 1, 2`,
    unique: '(zip, year)',
  },
];

export async function up(knex: Knex): Promise<void> {
  const statements = [
    `DROP MATERIALIZED VIEW api.crimes_per_capita`,
    `DROP MATERIALIZED VIEW api.crimes_zip_day`,
    `DROP MATERIALIZED VIEW api.crimes_zip_type_month`,
    `DROP MATERIALIZED VIEW api.crimes_zip_type_day`,
  ];
  for (const view of VIEWS) {
    statements.push(`CREATE MATERIALIZED VIEW api.${view.name} AS ${view.sql}`);
    statements.push(`CREATE UNIQUE INDEX ${view.name}_key ON api.${view.name} ${view.unique} NULLS NOT DISTINCT`);
  }
  await execAll(knex, statements);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [
    `DROP MATERIALIZED VIEW IF EXISTS api.crimes_per_capita`,
    `DROP MATERIALIZED VIEW IF EXISTS api.crimes_zip_month`,
    `DROP MATERIALIZED VIEW IF EXISTS api.crimes_zip_week`,
    `DROP MATERIALIZED VIEW IF EXISTS api.crimes_zip_day`,
    `DROP MATERIALIZED VIEW IF EXISTS api.crimes_zip_type_month`,
    `DROP MATERIALIZED VIEW IF EXISTS api.crimes_zip_type_day`,
    // The views of 202611270900-report-rollups, as they were.
    `CREATE MATERIALIZED VIEW api.crimes_zip_type_day AS
       SELECT geo_zip AS zip, primary_type, date::date AS day, count(*)::int AS count
       FROM data.crimes WHERE geo_zip IS NOT NULL AND date IS NOT NULL GROUP BY 1, 2, 3`,
    `CREATE UNIQUE INDEX crimes_zip_type_day_key ON api.crimes_zip_type_day (day, zip, primary_type) NULLS NOT DISTINCT`,
    `CREATE MATERIALIZED VIEW api.crimes_zip_type_month AS
       SELECT zip, primary_type, date_trunc('month', day)::date AS month, sum(count)::int AS count
       FROM api.crimes_zip_type_day GROUP BY 1, 2, 3`,
    `CREATE UNIQUE INDEX crimes_zip_type_month_key ON api.crimes_zip_type_month (month, zip, primary_type) NULLS NOT DISTINCT`,
    `CREATE MATERIALIZED VIEW api.crimes_zip_day AS
       SELECT zip, day, sum(count)::int AS count FROM api.crimes_zip_type_day GROUP BY 1, 2`,
    `CREATE UNIQUE INDEX crimes_zip_day_key ON api.crimes_zip_day (zip, day) NULLS NOT DISTINCT`,
    `CREATE MATERIALIZED VIEW api.crimes_per_capita AS
       SELECT c.zip, c.year, c.count, p.population_total AS population,
              round(c.count * 1000.0 / p.population_total, 2) AS per_1000
       FROM (SELECT zip, extract(year FROM month)::int AS year, sum(count)::int AS count
             FROM api.crimes_zip_type_month GROUP BY 1, 2) c
       JOIN data.population p
         ON p.geography = c.zip AND p.year = c.year AND p.geography_type <> 'Citywide' AND p.population_total > 0`,
    `CREATE UNIQUE INDEX crimes_per_capita_key ON api.crimes_per_capita (zip, year) NULLS NOT DISTINCT`,
  ]);
}
