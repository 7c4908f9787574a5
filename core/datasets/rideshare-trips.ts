import type { DatasetDefinition } from './types.js';

/**
 * Transportation Network Provider (rideshare) trips: m6dm-c72p (2018-2022), n26f-ihde (2023 on)
 * and 6dvr-xwnh (2025 on). The newer sources add `percent_time_chicago`,
 * `percent_distance_chicago` and `shared_trip_match`; they are NULL on the older rows. As for
 * taxis, the point is the pickup centroid. The portal rounds fares to $2.50 and tips to $1.
 */
export const rideshareTrips = {
  key: 'rideshare-trips',
  title: 'Transportation Network Providers - Trips',
  sourceIds: ['m6dm-c72p', 'n26f-ihde', '6dvr-xwnh'],
  table: 'rideshare_trips',
  schemaName: 'RideshareTrip',
  sync: { schedule: '40 * * * *', cadence: 'hourly' },
  primaryKey: ['trip_id'],
  timeColumn: 'trip_start_timestamp',
  point: { source: 'pickup_centroid_location', latitude: 'pickup_centroid_latitude', longitude: 'pickup_centroid_longitude' },
  filters: ['pickup_community_area', 'dropoff_community_area', 'shared_trip_authorized'],
  columns: [
    { name: 'trip_id', type: 'text' },
    { name: 'trip_start_timestamp', type: 'timestamp', description: 'Chicago local time, rounded to 15 minutes.' },
    { name: 'trip_end_timestamp', type: 'timestamp', description: 'Chicago local time, rounded to 15 minutes.' },
    { name: 'trip_seconds', type: 'integer' },
    { name: 'trip_miles', type: 'numeric' },
    { name: 'percent_time_chicago', type: 'numeric', description: 'Share of the trip time inside Chicago (2023 on); can exceed 1.' },
    { name: 'percent_distance_chicago', type: 'numeric', description: 'Share of the distance inside Chicago (2023 on).' },
    { name: 'pickup_census_tract', type: 'text' },
    { name: 'dropoff_census_tract', type: 'text' },
    { name: 'pickup_community_area', type: 'integer' },
    { name: 'dropoff_community_area', type: 'integer' },
    { name: 'fare', type: 'numeric' },
    { name: 'tip', type: 'numeric' },
    { name: 'additional_charges', type: 'numeric' },
    { name: 'trip_total', type: 'numeric' },
    { name: 'shared_trip_authorized', type: 'boolean' },
    { name: 'shared_trip_match', type: 'boolean', description: 'Matched with another ride (2023 on).' },
    { name: 'trips_pooled', type: 'integer' },
    { name: 'pickup_centroid_latitude', type: 'double' },
    { name: 'pickup_centroid_longitude', type: 'double' },
    { name: 'dropoff_centroid_latitude', type: 'double' },
    { name: 'dropoff_centroid_longitude', type: 'double' },
  ],
  sample: {
    file: 'm6dm-c72p.json',
    origin: 'YangXiaoShawn/YangXiaoShawn.github.io casuallab/fixtures/chicago_tnp_2022-01-01_300.csv @ 8e9400a9 (the API\'s CSV of m6dm-c72p), 2022-01-01',
  },
} as const satisfies DatasetDefinition;
