import type { DatasetDefinition } from './types.js';

/**
 * Taxi trips, split by the portal into wrvz-psew (2013-2023, frozen) and ajtu-isnz (2024 on),
 * same columns; `_source_id` records which one a row came from. The dataset's point is the
 * pickup centroid: a trip is counted where it starts, like `pickup_community_area` and the time
 * column `trip_start_timestamp`. Centroids are census-tract or community-area centres (the
 * portal's privacy rule), not exact addresses. Times are rounded to 15 minutes by the portal.
 */
export const taxiTrips = {
  key: 'taxi-trips',
  title: 'Taxi Trips',
  sourceIds: ['wrvz-psew', 'ajtu-isnz'],
  table: 'taxi_trips',
  schemaName: 'TaxiTrip',
  sync: { schedule: '25 * * * *', cadence: 'hourly' },
  primaryKey: ['trip_id'],
  timeColumn: 'trip_start_timestamp',
  point: { source: 'pickup_centroid_location', latitude: 'pickup_centroid_latitude', longitude: 'pickup_centroid_longitude' },
  filters: ['company', 'payment_type', 'pickup_community_area', 'dropoff_community_area'],
  columns: [
    { name: 'trip_id', type: 'text' },
    { name: 'taxi_id', type: 'text', description: 'Hashed medallion, stable per taxi.' },
    { name: 'trip_start_timestamp', type: 'timestamp', description: 'Chicago local time, rounded to 15 minutes.' },
    { name: 'trip_end_timestamp', type: 'timestamp', description: 'Chicago local time, rounded to 15 minutes.' },
    { name: 'trip_seconds', type: 'integer' },
    { name: 'trip_miles', type: 'numeric' },
    { name: 'pickup_census_tract', type: 'text' },
    { name: 'dropoff_census_tract', type: 'text' },
    { name: 'pickup_community_area', type: 'integer' },
    { name: 'dropoff_community_area', type: 'integer' },
    { name: 'fare', type: 'numeric' },
    { name: 'tips', type: 'numeric' },
    { name: 'tolls', type: 'numeric' },
    { name: 'extras', type: 'numeric' },
    { name: 'trip_total', type: 'numeric' },
    { name: 'payment_type', type: 'text' },
    { name: 'company', type: 'text' },
    { name: 'pickup_centroid_latitude', type: 'double' },
    { name: 'pickup_centroid_longitude', type: 'double' },
    { name: 'dropoff_centroid_latitude', type: 'double' },
    { name: 'dropoff_centroid_longitude', type: 'double' },
  ],
  sample: {
    file: 'wrvz-psew.json',
    origin: 'tensorflow/tfx tfx/examples/chicago_taxi_pipeline/data/simple/data.csv @ 58435d68 (BigQuery copy of the portal\'s trips), Feb-Mar 2014',
  },
} as const satisfies DatasetDefinition;
