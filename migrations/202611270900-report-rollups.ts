import type { Knex } from 'knex';
import { execAll } from '../core/db/migrate.js';

// The reports' rollups, one materialized view each, refreshed after every sync by
// core/reports/rollups.ts. They live in `api`, the schema the API reads. Rows without a ZIP
// (no coordinates, or outside every ZIP boundary) are left out of the per-ZIP reports.
// Each view has a unique index, which REFRESH … CONCURRENTLY needs (readers are never blocked).
const VIEWS: readonly { name: string; sql: string; unique: string; more?: string[] }[] = [
  {
    name: 'crimes_zip_type_day',
    sql: `SELECT geo_zip AS zip, primary_type, date::date AS day, count(*)::int AS count
          FROM data.crimes WHERE geo_zip IS NOT NULL AND date IS NOT NULL
          GROUP BY 1, 2, 3`,
    unique: '(day, zip, primary_type)',
  },
  {
    name: 'crimes_zip_type_month',
    sql: `SELECT zip, primary_type, date_trunc('month', day)::date AS month, sum(count)::int AS count
          FROM api.crimes_zip_type_day GROUP BY 1, 2, 3`,
    unique: '(month, zip, primary_type)',
  },
  {
    name: 'crimes_zip_day',
    sql: `SELECT zip, day, sum(count)::int AS count FROM api.crimes_zip_type_day GROUP BY 1, 2`,
    unique: '(zip, day)',
  },
  {
    name: 'crimes_per_capita',
    sql: `SELECT c.zip, c.year, c.count, p.population_total AS population,
                 round(c.count * 1000.0 / p.population_total, 2) AS per_1000
          FROM (SELECT zip, extract(year FROM month)::int AS year, sum(count)::int AS count
                FROM api.crimes_zip_type_month GROUP BY 1, 2) c
          JOIN data.population p
            ON p.geography = c.zip AND p.year = c.year AND p.geography_type <> 'Citywide' AND p.population_total > 0`,
    unique: '(zip, year)',
  },
  {
    name: 'service_requests_by_type',
    sql: `SELECT geo_zip AS zip, sr_type, status, count(*)::int AS count,
                 round((percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM closed_date - created_date) / 86400.0))::numeric, 2) AS median_days_to_close
          FROM data.service_requests WHERE geo_zip IS NOT NULL
          GROUP BY 1, 2, 3`,
    unique: '(zip, sr_type, status)',
  },
  {
    name: 'business_licenses_monthly',
    sql: `SELECT geo_zip AS zip, date_trunc('month', date_issued)::date AS month, count(*)::int AS count,
                 (count(*) FILTER (WHERE application_type = 'ISSUE'))::int AS new_count
          FROM data.business_licenses WHERE geo_zip IS NOT NULL AND date_issued IS NOT NULL
          GROUP BY 1, 2`,
    unique: '(zip, month)',
  },
  {
    name: 'traffic_crashes_monthly',
    sql: `SELECT geo_zip AS zip, date_trunc('month', crash_date)::date AS month, count(*)::int AS crashes,
                 coalesce(sum(injuries_total), 0)::int AS injuries, coalesce(sum(injuries_fatal), 0)::int AS fatalities
          FROM data.traffic_crashes WHERE geo_zip IS NOT NULL AND crash_date IS NOT NULL
          GROUP BY 1, 2`,
    unique: '(zip, month)',
  },
  {
    name: 'trips_monthly',
    sql: `SELECT service, community_area, month, count(*)::int AS trips,
                 count(fare)::int AS fares, coalesce(sum(fare), 0)::numeric AS fare_sum
          FROM (SELECT 'taxi' AS service, pickup_community_area AS community_area,
                       date_trunc('month', trip_start_timestamp)::date AS month, fare
                FROM data.taxi_trips WHERE pickup_community_area IS NOT NULL AND trip_start_timestamp IS NOT NULL
                UNION ALL
                SELECT 'rideshare', pickup_community_area, date_trunc('month', trip_start_timestamp)::date, fare
                FROM data.rideshare_trips WHERE pickup_community_area IS NOT NULL AND trip_start_timestamp IS NOT NULL) trips
          GROUP BY 1, 2, 3`,
    unique: '(service, community_area, month)',
  },
  {
    name: 'cta_station_entries_monthly',
    sql: `SELECT station_id, max(stationname) AS stationname, date_trunc('month', date)::date AS month,
                 coalesce(sum(rides), 0)::int AS rides
          FROM data.cta_station_entries WHERE date IS NOT NULL
          GROUP BY station_id, 3`,
    unique: '(station_id, month)',
  },
];

export async function up(knex: Knex): Promise<void> {
  const statements: string[] = [];
  for (const view of VIEWS) {
    statements.push(`CREATE MATERIALIZED VIEW api.${view.name} AS ${view.sql}`);
    statements.push(`CREATE UNIQUE INDEX ${view.name}_key ON api.${view.name} ${view.unique.replace(')', ') NULLS NOT DISTINCT')}`);
  }
  await execAll(knex, statements);
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, [...VIEWS].reverse().map((view) => `DROP MATERIALIZED VIEW IF EXISTS api.${view.name}`));
}
