import { refreshAggregates } from '../aggregate/rollups.js';
import type { Database } from '../db/connect.js';
import { bumpRollupsVersion } from '../db/data-version.js';

/**
 * The reports' materialized views (migrations 202611270900-report-rollups,
 * 202611270910-crime-rollups-clustered, 202611271200-crimes-zip-type-year and
 * 202612062200-food-inspections), in refresh order: a
 * view comes after the views it reads. `sources` are the dataset keys whose tables feed it,
 * directly or through an earlier view.
 */
export const ROLLUPS: readonly { readonly view: string; readonly sources: readonly string[] }[] = [
  { view: 'api.crimes_zip_type_day', sources: ['crimes'] },
  { view: 'api.crimes_zip_type_month', sources: ['crimes'] },
  { view: 'api.crimes_zip_type_year', sources: ['crimes'] },
  { view: 'api.crimes_zip_day', sources: ['crimes'] },
  { view: 'api.crimes_zip_week', sources: ['crimes'] },
  { view: 'api.crimes_zip_month', sources: ['crimes'] },
  { view: 'api.crimes_per_capita', sources: ['crimes', 'population'] },
  { view: 'api.service_requests_by_type', sources: ['service-requests'] },
  { view: 'api.business_licenses_monthly', sources: ['business-licenses'] },
  { view: 'api.traffic_crashes_monthly', sources: ['traffic-crashes'] },
  { view: 'api.trips_monthly', sources: ['taxi-trips', 'rideshare-trips'] },
  { view: 'api.cta_station_entries_monthly', sources: ['cta-station-entries'] },
  { view: 'api.food_inspections_monthly', sources: ['food-inspections'] },
];

/**
 * Recomputes the rollups fed by the given datasets (all when none is named), the aggregate
 * endpoint's included (core/aggregate/rollups.ts). The one place that refreshes them: the sync's afterSync hook and `serve` (after loading samples) call it.
 *
 * On PostgreSQL the refresh is CONCURRENTLY, so report requests keep reading the previous
 * contents meanwhile. PGlite has a single connection, so nobody reads during the refresh anyway.
 * Also returns how long each view took, for the log.
 */
export async function refreshRollups(
  db: Database,
  datasetKeys?: readonly string[],
  options: {
    /** false refreshes plainly (faster, but blocks readers): for a first fill that nobody reads yet. */
    readonly concurrently?: boolean;
  } = {},
): Promise<{ view: string; ms: number }[]> {
  const chosen = ROLLUPS.filter((rollup) => !datasetKeys || rollup.sources.some((key) => datasetKeys.includes(key)));
  const timings: { view: string; ms: number }[] = [];
  for (const { view } of chosen) {
    const started = Date.now();
    // Through a function that refreshes with the owner's rights (migration
    // 202611271001-ingest-refreshes-rollups), so the least-privileged ingest role can call it.
    await db.knex.raw('SELECT lakefront.refresh_rollup(?, ?)', [view, db.backend === 'postgres' && (options.concurrently ?? true)]);
    timings.push({ view, ms: Date.now() - started });
  }
  // The aggregate endpoint's rollups: incremental, so only the days the writes touched.
  timings.push(...(await refreshAggregates(db, datasetKeys)));
  // The reports' ETags follow this (core/db/data-version.ts): moved only if the rows did since the last refresh.
  await bumpRollupsVersion(db.knex, chosen.flatMap((rollup) => rollup.sources));
  return timings;
}
