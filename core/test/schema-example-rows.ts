/**
 * Rows for columns that no bundled real sample fills, in the portal's SODA JSON shape, with the example values
 * quoted in the portal's published column notes (recorded responses where the notes have one: the 2021 TNP trip).
 * The rideshare sample comes from m6dm-c72p (2018-2022), which lacks the columns n26f-ihde (2023 on) added:
 * `percent_time_chicago`, `percent_distance_chicago` and `shared_trip_match`. System fields are made up.
 */
const system = (id: string) => ({ ':id': `row-${id}`, ':updated_at': '2024-01-10T16:39:45.134Z', ':created_at': '2024-01-10T16:39:45.134Z' });

export const schemaExampleRows: Record<string, { sourceId: string; row: Record<string, unknown>; expect: Record<string, unknown> }> = {
  'rideshare-trips': {
    sourceId: 'n26f-ihde',
    row: {
      ...system('tnp01'),
      trip_id: '14176ffa6e52c6716e37275173f1bf8ee681866f', trip_start_timestamp: '2021-09-30T23:45:00.000',
      trip_end_timestamp: '2021-09-30T23:45:00.000', trip_seconds: '391', trip_miles: '1.8019', percent_time_chicago: '1',
      percent_distance_chicago: '0.97', pickup_census_tract: '17031080300', dropoff_census_tract: '17031280100',
      pickup_community_area: '8', dropoff_community_area: '28', fare: '7.5', tip: '0', additional_charges: '2.36', trip_total: '9.86',
      shared_trip_authorized: false, shared_trip_match: false, trips_pooled: '1',
      pickup_centroid_latitude: '41.9074919303', pickup_centroid_longitude: '-87.6357600901',
      pickup_centroid_location: { type: 'Point', coordinates: [-87.6357600901, 41.9074919303] },
      dropoff_centroid_latitude: '41.8853000224', dropoff_centroid_longitude: '-87.6428084655',
      dropoff_centroid_location: { type: 'Point', coordinates: [-87.6428084655, 41.8853000224] },
    },
    expect: { trip_miles: 1.8019, percent_time_chicago: 1, shared_trip_match: false, trips_pooled: 1, dropoff_community_area: 28, geo_community_area: null },
  },
};
