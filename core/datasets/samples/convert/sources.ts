import {
  chicagoToUtc,
  fromEpochWallClock,
  fromExcelSerial,
  fromUsDate,
  millisOf,
  point,
  pointFromLatLonText,
  pointFromWkt,
  type SodaValue,
} from './soda.js';

/** The portal's `dataTypeName` values the samples use. */
export type SodaType = 'text' | 'number' | 'checkbox' | 'floating_timestamp' | 'point';

type SourceRecord = Record<string, string>;
type Row = Record<string, SodaValue>;

export interface FieldSpec {
  /** The portal's API field name. */
  readonly field: string;
  readonly type: SodaType;
  /** A source column (its text is kept as is; empty means null, so the key is omitted) or a conversion. */
  readonly from: string | ((record: SourceRecord, index: number) => SodaValue | undefined);
}

/** One bundled sample: which raw slice it is made from and how each portal field is read. */
export interface SampleSource {
  readonly portalId: string;
  readonly name: string;
  /** File under `core/datasets/samples/raw/`. */
  readonly rawFile: string;
  readonly separator: ',' | '\t';
  /** The column the sample treats as the row key (for `:id`); the `rowIdentifier` of its meta file. */
  readonly rowIdentifier: string;
  readonly fields: readonly FieldSpec[];
  /**
   * Columns the portal's metadata lists that this copy never fills (dropped by whoever saved it,
   * or null in every row): written to the meta file, so it shows the portal's columns.
   */
  readonly portalOnly?: readonly { readonly field: string; readonly type: SodaType }[];
  /** Synthetic system times, epoch ms: when the portal would have created and last written the row. */
  times(row: Row, index: number): { created: number; updated: number };
}

const HOUR = 3_600_000;

/** Source text, or undefined when empty (the portal omits nulls). */
const present = (text: string | undefined): string | undefined => (text === undefined || text === '' ? undefined : text);
const whenPresent = <T>(text: string | undefined, convert: (text: string) => T): T | undefined => {
  const value = present(text);
  return value === undefined ? undefined : convert(value);
};

function checkbox(text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new Error(`not a checkbox value: ${text}`);
  return text === 'true';
}

/** Fields whose API name is the CSV header in lower case. */
const lowerCased = (headers: string, types: Readonly<Record<string, SodaType>>): FieldSpec[] =>
  headers.split(',').map((header) => ({ field: header.toLowerCase(), type: types[header.toLowerCase()] ?? 'text', from: header }));

/** The first day of the month `months` after the floating timestamp's month, at `hour` UTC, with a fixed millisecond part. */
function batchTime(floatingTimestamp: string, months: number, hour: number): number {
  const year = +floatingTimestamp.slice(0, 4);
  const month = +floatingTimestamp.slice(5, 7) - 1 + months;
  return Date.UTC(year, month, 1, hour) + millisOf(`${year}-${month}`);
}

const CRASH_HEADERS =
  'CRASH_RECORD_ID,RD_NO,CRASH_DATE_EST_I,CRASH_DATE,POSTED_SPEED_LIMIT,TRAFFIC_CONTROL_DEVICE,DEVICE_CONDITION,WEATHER_CONDITION,' +
  'LIGHTING_CONDITION,FIRST_CRASH_TYPE,TRAFFICWAY_TYPE,LANE_CNT,ALIGNMENT,ROADWAY_SURFACE_COND,ROAD_DEFECT,REPORT_TYPE,CRASH_TYPE,' +
  'INTERSECTION_RELATED_I,NOT_RIGHT_OF_WAY_I,HIT_AND_RUN_I,DAMAGE,DATE_POLICE_NOTIFIED,PRIM_CONTRIBUTORY_CAUSE,SEC_CONTRIBUTORY_CAUSE,' +
  'STREET_NO,STREET_DIRECTION,STREET_NAME,BEAT_OF_OCCURRENCE,PHOTOS_TAKEN_I,STATEMENTS_TAKEN_I,DOORING_I,WORK_ZONE_I,WORK_ZONE_TYPE,' +
  'WORKERS_PRESENT_I,NUM_UNITS,MOST_SEVERE_INJURY,INJURIES_TOTAL,INJURIES_FATAL,INJURIES_INCAPACITATING,INJURIES_NON_INCAPACITATING,' +
  'INJURIES_REPORTED_NOT_EVIDENT,INJURIES_NO_INDICATION,INJURIES_UNKNOWN,CRASH_HOUR,CRASH_DAY_OF_WEEK,CRASH_MONTH,LATITUDE,LONGITUDE,LOCATION';

const CRASH_NUMBERS = [
  'posted_speed_limit', 'lane_cnt', 'street_no', 'beat_of_occurrence', 'num_units', 'injuries_total', 'injuries_fatal',
  'injuries_incapacitating', 'injuries_non_incapacitating', 'injuries_reported_not_evident', 'injuries_no_indication',
  'injuries_unknown', 'crash_hour', 'crash_day_of_week', 'crash_month', 'latitude', 'longitude',
];

const trafficCrashes: SampleSource = {
  portalId: '85ca-t3if',
  name: 'Traffic Crashes - Crashes',
  rawFile: '85ca-t3if.csv',
  separator: ',',
  rowIdentifier: 'crash_record_id',
  fields: lowerCased(CRASH_HEADERS, Object.fromEntries(CRASH_NUMBERS.map((name) => [name, 'number' as const]))).map((spec) => {
    if (spec.field === 'crash_date' || spec.field === 'date_police_notified') {
      return { ...spec, type: 'floating_timestamp', from: (record: SourceRecord) => whenPresent(record[spec.from as string], fromExcelSerial) };
    }
    if (spec.field === 'location') return { ...spec, type: 'point', from: (record: SourceRecord) => whenPresent(record.LOCATION, pointFromWkt) };
    return spec;
  }),
  // Written when the police report reached the portal: some hours after the police were notified.
  times: (row) => {
    const notified = chicagoToUtc((row.date_police_notified ?? row.crash_date) as string);
    return { created: notified + 6 * HOUR, updated: notified + 6 * HOUR + millisOf(row.crash_record_id as string) };
  },
};

const ctaStops: SampleSource = {
  portalId: '8pix-ypme',
  name: "CTA - System Information - List of 'L' Stops",
  rawFile: '8pix-ypme.csv',
  separator: ',',
  rowIdentifier: 'stop_id',
  fields: [
    ...['STOP_ID', 'DIRECTION_ID', 'STOP_NAME', 'STATION_NAME', 'STATION_DESCRIPTIVE_NAME', 'MAP_ID'].map((header) => ({
      field: header.toLowerCase(),
      type: 'text' as const,
      from: header,
    })),
    ...['ADA', 'RED', 'BLUE', 'G', 'BRN', 'P', 'Pexp', 'Y', 'Pnk', 'O'].map((header) => ({
      field: header.toLowerCase(),
      type: 'checkbox' as const,
      from: (record: SourceRecord) => whenPresent(record[header], checkbox),
    })),
    { field: 'location', type: 'point', from: (record) => whenPresent(record.Location, pointFromLatLonText) },
  ],
  // Reference data loaded in one go: a fixed time plus one second per row, like the boundary samples.
  times: (_row, index) => ({ created: Date.UTC(2013, 4, 31, 15, 0, 0, 412), updated: Date.UTC(2013, 4, 31, 15, 0, 0, 412) + index * 1000 }),
};

const ctaStationEntries: SampleSource = {
  portalId: '5neh-572f',
  name: "CTA - Ridership - 'L' Station Entries - Daily Totals",
  rawFile: '5neh-572f.tsv',
  separator: '\t',
  rowIdentifier: ':id',
  fields: [
    { field: 'station_id', type: 'text', from: 'station_id' },
    { field: 'stationname', type: 'text', from: 'stationname' },
    { field: 'date', type: 'floating_timestamp', from: (record) => whenPresent(record.date, fromUsDate) },
    { field: 'daytype', type: 'text', from: 'daytype' },
    { field: 'rides', type: 'number', from: 'rides' },
  ],
  // The CTA publishes a month at a time: every row of a month shares the next month's load time.
  times: (row) => {
    const loaded = batchTime(row.date as string, 1, 15);
    return { created: loaded, updated: loaded };
  },
};

/** CSV header → the portal's API field name (names as the schema notes give them). */
const POPULATION_FIELDS: readonly (readonly [string, string])[] = [
  ['Geography Type', 'geography_type'],
  ['Year', 'year'],
  ['Geography', 'geography'],
  ['Population - Total', 'population_total'],
  ['Population - Age 0-17', 'population_age_0_17'],
  ['Population - Age 18-29', 'population_age_18_29'],
  ['Population - Age 30-39', 'population_age_30_39'],
  ['Population - Age 40-49', 'population_age_40_49'],
  ['Population - Age 50-59', 'population_age_50_59'],
  ['Population - Age 60-69', 'population_age_60_69'],
  ['Population - Age 70-79', 'population_age_70_79'],
  ['Population - Age 80+', 'population_age_80'],
  ['Population - Age 18+', 'population_age_18'],
  ['Population - Age 65+', 'population_age_65'],
  ['Population - Female', 'population_female'],
  ['Population - Male', 'population_male'],
  ['Population - Latinx', 'population_latinx'],
  ['Population - Asian Non-Latinx', 'population_asian_non_latinx'],
  ['Population - Black Non-Latinx', 'population_black_non_latinx'],
  ['Population - White Non-Latinx', 'population_white_non_latinx'],
  ['Population - Other Race Non-Latinx', 'population_other_race_non'],
  ['Record ID', 'record_id'],
];

const population: SampleSource = {
  portalId: '85cm-7uqa',
  name: 'Chicago Population Counts',
  rawFile: '85cm-7uqa.csv',
  separator: ',',
  rowIdentifier: 'record_id',
  fields: POPULATION_FIELDS.map(([header, field]) => ({
    field,
    type: ['geography_type', 'geography', 'record_id'].includes(field) ? ('text' as const) : ('number' as const),
    from: header,
  })),
  times: (_row, index) => ({ created: Date.UTC(2021, 4, 28, 18, 0, 0, 736), updated: Date.UTC(2021, 4, 28, 18, 0, 0, 736) + index * 1000 }),
};

const taxiTrips: SampleSource = {
  portalId: 'wrvz-psew',
  name: 'Taxi Trips',
  rawFile: 'wrvz-psew.csv',
  separator: ',',
  rowIdentifier: 'trip_id',
  fields: [
    // The TFX copy dropped the portal's trip_id: a synthetic, clearly marked one stands in (see README).
    { field: 'trip_id', type: 'text', from: (_record, index) => `tfx-2014-${String(index + 1).padStart(4, '0')}` },
    { field: 'trip_start_timestamp', type: 'floating_timestamp', from: (record) => whenPresent(record.trip_start_timestamp, fromEpochWallClock) },
    { field: 'trip_seconds', type: 'number', from: 'trip_seconds' },
    { field: 'trip_miles', type: 'number', from: 'trip_miles' },
    { field: 'pickup_census_tract', type: 'text', from: 'pickup_census_tract' },
    { field: 'dropoff_census_tract', type: 'text', from: 'dropoff_census_tract' },
    { field: 'pickup_community_area', type: 'number', from: 'pickup_community_area' },
    { field: 'dropoff_community_area', type: 'number', from: 'dropoff_community_area' },
    { field: 'fare', type: 'number', from: 'fare' },
    { field: 'tips', type: 'number', from: 'tips' },
    { field: 'payment_type', type: 'text', from: 'payment_type' },
    { field: 'company', type: 'text', from: 'company' },
    { field: 'pickup_centroid_latitude', type: 'number', from: 'pickup_latitude' },
    { field: 'pickup_centroid_longitude', type: 'number', from: 'pickup_longitude' },
    {
      field: 'pickup_centroid_location',
      type: 'point',
      from: (record) => (present(record.pickup_latitude) && present(record.pickup_longitude) ? point(record.pickup_longitude!, record.pickup_latitude!) : undefined),
    },
    { field: 'dropoff_centroid_latitude', type: 'number', from: 'dropoff_latitude' },
    { field: 'dropoff_centroid_longitude', type: 'number', from: 'dropoff_longitude' },
    {
      field: 'dropoff_centroid_location',
      type: 'point',
      from: (record) => (present(record.dropoff_latitude) && present(record.dropoff_longitude) ? point(record.dropoff_longitude!, record.dropoff_latitude!) : undefined),
    },
  ],
  portalOnly: [
    { field: 'taxi_id', type: 'text' },
    { field: 'trip_end_timestamp', type: 'floating_timestamp' },
    { field: 'tolls', type: 'number' },
    { field: 'extras', type: 'number' },
    { field: 'trip_total', type: 'number' },
  ],
  // The portal added taxi trips in monthly loads about a month behind: rows of a month share a load time.
  times: (row) => {
    const loaded = batchTime(row.trip_start_timestamp as string, 2, 14);
    return { created: loaded, updated: loaded };
  },
};

/** `True`/`False`: how pandas wrote the API's JSON booleans when it saved the response as CSV. */
function pythonBoolean(text: string): boolean {
  if (text !== 'True' && text !== 'False') throw new Error(`not a Python boolean: ${text}`);
  return text === 'True';
}

/**
 * `{'latitude': '41.87', 'longitude': '-87.67', 'human_address': '…'}`: the API's legacy location
 * object as Python printed it. Only its coordinates are kept, as a GeoJSON point.
 */
function pointFromPythonLocation(text: string): SodaValue {
  const match = /^\{'latitude': '([^']+)', 'longitude': '([^']+)'/.exec(text);
  if (!match) throw new Error(`not a legacy location: ${text}`);
  return point(match[2]!, match[1]!);
}

function floatingAsIs(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000$/.test(text)) throw new Error(`not a floating timestamp: ${text}`);
  return text;
}

const SERVICE_REQUEST_HEADERS =
  'sr_number,sr_type,sr_short_code,created_department,owner_department,status,origin,created_date,last_modified_date,closed_date,' +
  'street_address,city,state,zip_code,street_number,street_direction,street_name,street_type,duplicate,legacy_record,community_area,' +
  'ward,electricity_grid,police_sector,police_district,police_beat,precinct,created_hour,created_day_of_week,created_month,' +
  'x_coordinate,y_coordinate,latitude,longitude,location,parent_sr_number,electrical_district';
const SERVICE_REQUEST_NUMBERS = [
  'community_area', 'ward', 'created_hour', 'created_day_of_week', 'created_month', 'x_coordinate', 'y_coordinate', 'latitude', 'longitude',
];

const serviceRequests: SampleSource = {
  portalId: 'v6vf-nfxy',
  name: '311 Service Requests',
  rawFile: 'v6vf-nfxy.csv',
  separator: ',',
  rowIdentifier: 'sr_number',
  fields: lowerCased(SERVICE_REQUEST_HEADERS, Object.fromEntries(SERVICE_REQUEST_NUMBERS.map((name) => [name, 'number' as const]))).map((spec) => {
    const header = spec.from as string;
    if (['created_date', 'last_modified_date', 'closed_date'].includes(header)) {
      return { ...spec, type: 'floating_timestamp', from: (record: SourceRecord) => whenPresent(record[header], floatingAsIs) };
    }
    if (header === 'duplicate' || header === 'legacy_record') {
      return { ...spec, type: 'checkbox', from: (record: SourceRecord) => whenPresent(record[header], pythonBoolean) };
    }
    if (header === 'location') return { ...spec, type: 'point', from: (record: SourceRecord) => whenPresent(record.location, pointFromPythonLocation) };
    return spec;
  }),
  // Null in each of these requests, so the API response (and the CSV made from it) had no such key.
  portalOnly: [
    { field: 'legacy_sr_number', type: 'text' },
    { field: 'sanitation_division_days', type: 'text' },
  ],
  // Created when the request was; written again at its last modification.
  times: (row) => ({
    created: chicagoToUtc(row.created_date as string),
    updated: chicagoToUtc(row.last_modified_date as string) + millisOf(row.sr_number as string),
  }),
};

const RIDESHARE_TYPES: Readonly<Record<string, SodaType>> = {
  trip_start_timestamp: 'floating_timestamp',
  trip_end_timestamp: 'floating_timestamp',
  shared_trip_authorized: 'checkbox',
  ...Object.fromEntries(
    [
      'trip_seconds', 'trip_miles', 'pickup_community_area', 'dropoff_community_area', 'fare', 'tip', 'additional_charges', 'trip_total',
      'trips_pooled', 'pickup_centroid_latitude', 'pickup_centroid_longitude', 'dropoff_centroid_latitude', 'dropoff_centroid_longitude',
    ].map((name) => [name, 'number' as const]),
  ),
};

/** A centroid point from the row's own latitude/longitude text, when both are present. */
const centroid = (end: 'pickup' | 'dropoff') => (record: SourceRecord): SodaValue | undefined => {
  const latitude = present(record[`${end}_centroid_latitude`]);
  const longitude = present(record[`${end}_centroid_longitude`]);
  return latitude && longitude ? point(longitude, latitude) : undefined;
};

const rideshareTrips: SampleSource = {
  portalId: 'm6dm-c72p',
  name: 'Transportation Network Providers - Trips (2018 - 2022)',
  rawFile: 'm6dm-c72p.csv',
  separator: ',',
  rowIdentifier: 'trip_id',
  // The API's CSV already uses the field names and the floating timestamp text. The query that saved
  // it selected every column but the two centroid points, which are made from the same numbers.
  fields: lowerCased(
    'trip_id,trip_start_timestamp,trip_end_timestamp,trip_seconds,trip_miles,pickup_census_tract,dropoff_census_tract,' +
      'pickup_community_area,dropoff_community_area,fare,tip,additional_charges,trip_total,shared_trip_authorized,trips_pooled,' +
      'pickup_centroid_latitude,pickup_centroid_longitude,dropoff_centroid_latitude,dropoff_centroid_longitude',
    RIDESHARE_TYPES,
  ).flatMap((spec): FieldSpec[] => {
    const header = spec.from as string;
    if (spec.type === 'floating_timestamp') return [{ ...spec, from: (record) => whenPresent(record[header], floatingAsIs) }];
    if (spec.type === 'checkbox') return [{ ...spec, from: (record) => whenPresent(record[header], checkbox) }];
    if (header === 'pickup_centroid_longitude') return [spec, { field: 'pickup_centroid_location', type: 'point', from: centroid('pickup') }];
    if (header === 'dropoff_centroid_longitude') return [spec, { field: 'dropoff_centroid_location', type: 'point', from: centroid('dropoff') }];
    return [spec];
  }),
  // Like the taxi trips: rows of a month share one load time, two months after the trips.
  times: (row) => {
    const loaded = batchTime(row.trip_start_timestamp as string, 2, 16);
    return { created: loaded, updated: loaded };
  },
};

export const SAMPLE_SOURCES: readonly SampleSource[] = [
  trafficCrashes,
  ctaStops,
  ctaStationEntries,
  population,
  taxiTrips,
  serviceRequests,
  rideshareTrips,
];

/** Converts one source record to the portal's row (data fields only, nulls omitted, field order as listed). */
export function toSodaRow(source: SampleSource, record: SourceRecord, index: number): Row {
  const row: Row = {};
  for (const spec of source.fields) {
    const value = typeof spec.from === 'string' ? present(record[spec.from]) : spec.from(record, index);
    if (typeof spec.from === 'string' && !(spec.from in record)) throw new Error(`${source.portalId}: the source has no column ${spec.from}`);
    if (value !== undefined) row[spec.field] = value;
  }
  return row;
}
