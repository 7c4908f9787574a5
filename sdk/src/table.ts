/*
 * The facade's whole knowledge of the API: which generated operation serves which name. Datasets
 * come from `npm run generate` (one per dataset definition); a new report is one line here. Their
 * parameters and results are typed from the spec. `createLakefront` runs on the paths alone (the
 * `*_PATHS` tables); the operations type it, and serve `dataset()` and `endpoint()`.
 * A key is the operation's path after its group, camelCased: `/v1/service-requests` →
 * `lf.serviceRequests`, `/v1/reports/crimes/by-zip` → `lf.reports.crimesByZip`.
 */
import {
  getBusinessLicensesIssued,
  getCommunityAreaBoundaries,
  getCrimesByZip,
  getCrimesPerCapita,
  getCrimeTrends,
  getCtaStationRidesMonthly,
  getFoodInspectionsMonthly,
  getServiceRequestsByType,
  getTrafficCrashesMonthly,
  getTripsByCommunityArea,
  getZipCodeBoundaries,
} from './generated/sdk.gen.js';

export { DATASET_AGGREGATES, DATASET_OPERATIONS, DATASET_PATHS, type DatasetAggregateTypes, type DatasetOperationTypes } from './generated/datasets.gen.js';

/** `lf.reports.<key>(params)`: one operation per report (`GET /v1/reports/...`). */
export const REPORT_OPERATIONS = {
  crimesByZip: getCrimesByZip,
  crimesTrends: getCrimeTrends,
  crimesPerCapita: getCrimesPerCapita,
  serviceRequestsByType: getServiceRequestsByType,
  businessLicensesIssued: getBusinessLicensesIssued,
  trafficCrashesMonthly: getTrafficCrashesMonthly,
  tripsByCommunityArea: getTripsByCommunityArea,
  ctaStationEntriesMonthly: getCtaStationRidesMonthly,
  foodInspectionsMonthly: getFoodInspectionsMonthly,
} as const;

/** The same reports as paths: what `createLakefront` runs on (a test checks each is its operation's). */
export const REPORT_PATHS = {
  crimesByZip: '/v1/reports/crimes/by-zip',
  crimesTrends: '/v1/reports/crimes/trends',
  crimesPerCapita: '/v1/reports/crimes/per-capita',
  serviceRequestsByType: '/v1/reports/service-requests/by-type',
  businessLicensesIssued: '/v1/reports/business-licenses/issued',
  trafficCrashesMonthly: '/v1/reports/traffic-crashes/monthly',
  tripsByCommunityArea: '/v1/reports/trips/by-community-area',
  ctaStationEntriesMonthly: '/v1/reports/cta-station-entries/monthly',
  foodInspectionsMonthly: '/v1/reports/food-inspections/monthly',
} as const satisfies Record<keyof typeof REPORT_OPERATIONS, string>;

/** `lf.boundaries.<key>()`: the areas behind `geo_zip` and `geo_community_area`, as GeoJSON (`GET /v1/boundaries/...`). */
export const BOUNDARY_OPERATIONS = {
  zipCodes: getZipCodeBoundaries,
  communityAreas: getCommunityAreaBoundaries,
} as const;

/** The same boundary sets as paths. */
export const BOUNDARY_PATHS = {
  zipCodes: '/v1/boundaries/zip-codes',
  communityAreas: '/v1/boundaries/community-areas',
} as const satisfies Record<keyof typeof BOUNDARY_OPERATIONS, string>;
