import { businessLicenses } from './business-licenses.js';
import { communityAreas } from './community-areas.js';
import { crimes } from './crimes.js';
import { ctaStationEntries } from './cta-station-entries.js';
import { ctaStops } from './cta-stops.js';
import { foodInspections } from './food-inspections.js';
import { population } from './population.js';
import { rideshareTrips } from './rideshare-trips.js';
import { serviceRequests } from './service-requests.js';
import { taxiTrips } from './taxi-trips.js';
import { trafficCrashes } from './traffic-crashes.js';
import type { DatasetDefinition } from './types.js';
import { zipCodes } from './zip-codes.js';

export type { ColumnDefinition, ColumnType, DatasetDefinition, PointMapping, SyncCadence, SyncPlan } from './types.js';
export { SQL_TYPES } from './types.js';

/**
 * Every dataset Lakefront knows, in load order: the boundaries first (enrichment needs them),
 * then population (per ZIP), then the datasets with points.
 */
export const datasets: readonly DatasetDefinition[] = [
  zipCodes,
  communityAreas,
  population,
  crimes,
  serviceRequests,
  businessLicenses,
  trafficCrashes,
  taxiTrips,
  rideshareTrips,
  ctaStationEntries,
  ctaStops,
  foodInspections,
];

export function findDataset(key: string): DatasetDefinition | undefined {
  return datasets.find((dataset) => dataset.key === key);
}

/** Portal ids for a dataset, after the `LAKEFRONT_SOURCES_<KEY>` override. */
export function sourceIdsOf(dataset: DatasetDefinition, env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env[`LAKEFRONT_SOURCES_${dataset.key.toUpperCase().replaceAll('-', '_')}`];
  if (override) return override.split(',').map((id) => id.trim()).filter(Boolean);
  return [...dataset.sourceIds];
}

/** Every column the table has: the definition's columns plus the bookkeeping Lakefront adds. */
export const SYSTEM_COLUMNS = {
  sourceId: '_source_id',
  rowId: '_row_id',
  updatedAt: '_updated_at',
} as const;

/**
 * Columns Lakefront computes from a row's point (see ingest enrichment); present on every
 * dataset with a `point`, never read from the portal.
 */
export const GEO_COLUMNS = {
  zip: 'geo_zip',
  communityArea: 'geo_community_area',
} as const;
