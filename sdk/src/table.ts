/*
 * The facade's whole knowledge of the API: which generated operation serves which name. Datasets
 * come from `npm run generate` (one per dataset definition); a new report is one line here. Their
 * parameters and results are typed from the spec.
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

export { DATASET_AGGREGATES, DATASET_OPERATIONS } from './generated/datasets.gen.js';

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

/** `lf.boundaries.<key>()`: the areas behind `geo_zip` and `geo_community_area`, as GeoJSON (`GET /v1/boundaries/...`). */
export const BOUNDARY_OPERATIONS = {
  zipCodes: getZipCodeBoundaries,
  communityAreas: getCommunityAreaBoundaries,
} as const;
