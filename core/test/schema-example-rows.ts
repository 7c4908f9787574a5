/**
 * One row per dataset that has no bundled real sample, in the portal's SODA JSON shape, with the
 * example values quoted in the portal's published column notes for each id (recorded responses where the notes
 * have one: the CTA stop and the 2021 TNP trip). System fields are made up.
 */
const system = (id: string) => ({ ':id': `row-${id}`, ':updated_at': '2024-01-10T16:39:45.134Z', ':created_at': '2024-01-10T16:39:45.134Z' });

export const schemaExampleRows: Record<string, { sourceId: string; row: Record<string, unknown>; expect: Record<string, unknown> }> = {
  'service-requests': {
    sourceId: 'v6vf-nfxy',
    row: {
      ...system('sr01'),
      sr_number: 'SR24-00112233', sr_type: 'Pothole in Street Complaint', sr_short_code: 'PHF',
      owner_department: 'CDOT - Department of Transportation', status: 'Open', origin: 'Phone Call',
      created_date: '2024-08-01T10:00:00.000', last_modified_date: '2024-08-02T00:00:00.000',
      street_address: '456 W RANDOLPH ST', city: 'Chicago', zip_code: '60661', duplicate: false, legacy_record: false,
      community_area: '28', ward: '42', police_district: '12', created_hour: '10', created_day_of_week: '5', created_month: '8',
      latitude: '41.8845', longitude: '-87.6398', location: { type: 'Point', coordinates: [-87.6398, 41.8845] },
    },
    expect: { sr_number: 'SR24-00112233', created_date: '2024-08-01T10:00:00', closed_date: null, duplicate: false, community_area: 28, ward: 42, latitude: 41.8845, geo_zip: null },
  },
  'traffic-crashes': {
    sourceId: '85ca-t3if',
    row: {
      ...system('tc01'),
      crash_record_id: '000013b0123279411e0ec856dae95ab9f0851764350b7feaeb982c7707c6722066910e9391e60f45cec4b7a7a6643eeedb5de39e7245b03447a44c793680dc4b',
      crash_date: '2023-06-13T08:15:00.000', posted_speed_limit: '30', traffic_control_device: 'TRAFFIC SIGNAL',
      device_condition: 'FUNCTIONING PROPERLY', weather_condition: 'CLEAR', lighting_condition: 'DAYLIGHT', first_crash_type: 'REAR END',
      trafficway_type: 'DIVIDED - W/MEDIAN (NOT RAISED)', alignment: 'STRAIGHT AND LEVEL', roadway_surface_cond: 'DRY',
      road_defect: 'NO DEFECTS', report_type: 'ON SCENE', crash_type: 'NO INJURY / DRIVE AWAY', damage: 'OVER $1,500',
      date_police_notified: '2023-06-13T08:40:00.000', prim_contributory_cause: 'FOLLOWING TOO CLOSELY',
      sec_contributory_cause: 'NOT APPLICABLE', street_no: '100', street_direction: 'N', street_name: 'STATE ST',
      beat_of_occurrence: '0101', num_units: '2', injuries_total: '0', injuries_fatal: '0', crash_hour: '8',
      crash_day_of_week: '3', crash_month: '6', latitude: '41.8781', longitude: '-87.6298',
      location: { type: 'Point', coordinates: [-87.6298, 41.8781] },
    },
    expect: { crash_date: '2023-06-13T08:15:00', beat_of_occurrence: '0101', street_no: 100, num_units: 2, hit_and_run_i: null, longitude: -87.6298 },
  },
  'taxi-trips': {
    sourceId: 'wrvz-psew',
    row: {
      ...system('tx01'),
      trip_id: '6b2c51e58fa7d3ac60f1c72d9fbdbda87f3ccfd9', trip_start_timestamp: '2014-07-04T20:15:00.000',
      trip_end_timestamp: '2014-07-04T20:30:00.000', trip_seconds: '420', trip_miles: '0.8',
      pickup_census_tract: '17031081600', dropoff_census_tract: '17031081300', pickup_community_area: '8', dropoff_community_area: '8',
      fare: '5.85', tips: '0', tolls: '0', extras: '1', trip_total: '6.85', payment_type: 'Cash', company: 'Taxi Affiliation Services',
      pickup_centroid_location: { type: 'Point', coordinates: [-87.6221729369, 41.8706073724] },
      dropoff_centroid_latitude: '41.898331794', dropoff_centroid_longitude: '-87.620762865',
      dropoff_centroid_location: { type: 'Point', coordinates: [-87.6207628651, 41.8983317935] },
    },
    // The row has only the pickup point, not its latitude/longitude fields: they come from the point.
    expect: { trip_seconds: 420, fare: 5.85, trip_total: 6.85, pickup_centroid_latitude: 41.8706073724, pickup_centroid_longitude: -87.6221729369, dropoff_centroid_latitude: 41.898331794 },
  },
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
  'cta-station-entries': {
    sourceId: '5neh-572f',
    row: { ...system('cta01'), station_id: '40010', stationname: 'Austin-Forest Park', date: '2001-01-01T00:00:00.000', daytype: 'U', rides: '290' },
    expect: { station_id: 40010, date: '2001-01-01', daytype: 'U', rides: 290 },
  },
  'cta-stops': {
    sourceId: '8pix-ypme',
    row: {
      ...system('stop01'),
      ':@computed_region_6mkv_f3dw': '26618', ada: false, blue: true, brn: false, direction_id: 'W', g: false,
      location: { type: 'Point', coordinates: [-87.791602, 41.872108] }, map_id: '40180', o: false, p: false, pexp: false,
      pnk: false, red: false, station_descriptive_name: 'Oak Park (Blue Line)', station_name: 'Oak Park', stop_id: '30035',
      stop_name: 'Oak Park (Forest Pk-bound)', y: false,
    },
    expect: { stop_id: 30035, map_id: 40180, blue: true, ada: false, latitude: 41.872108, longitude: -87.791602, geo_zip: null },
  },
  population: {
    sourceId: '85cm-7uqa',
    row: {
      ...system('pop01'),
      geography_type: 'ZIP Code', year: '2021', geography: '60614', population_total: '71308', population_age_0_17: '11032',
      population_female: '37170', population_male: '34138', record_id: 'ZIP_Code-2021-60614',
    },
    expect: { year: 2021, geography: '60614', population_total: 71308, population_age_80: null },
  },
};
