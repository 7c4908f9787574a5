/*
 * The facade's whole knowledge of the API: which generated operation serves which name. Covering
 * a new dataset or report is one line here; its parameters and results are typed from the spec.
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
  getServiceRequestsByType,
  getTrafficCrashesMonthly,
  getTripsByCommunityArea,
  getZipCodeBoundaries,
  listBusinessLicenses,
  listCommunityAreas,
  listCrimes,
  listCtaStationEntries,
  listCtaStops,
  listPopulation,
  listRideshareTrips,
  listServiceRequests,
  listTaxiTrips,
  listTrafficCrashes,
  listZipCodes,
} from './generated/sdk.gen.js';

/** `lf.<key>.list / rows / csv / …`: the list operation of each dataset (`GET /v1/{dataset-key}`). */
export const DATASET_OPERATIONS = {
  crimes: listCrimes,
  serviceRequests: listServiceRequests,
  businessLicenses: listBusinessLicenses,
  trafficCrashes: listTrafficCrashes,
  taxiTrips: listTaxiTrips,
  rideshareTrips: listRideshareTrips,
  ctaStationEntries: listCtaStationEntries,
  ctaStops: listCtaStops,
  population: listPopulation,
  zipCodes: listZipCodes,
  communityAreas: listCommunityAreas,
} as const;

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
} as const;

/** `lf.boundaries.<key>()`: the areas behind `geo_zip` and `geo_community_area`, as GeoJSON (`GET /v1/boundaries/...`). */
export const BOUNDARY_OPERATIONS = {
  zipCodes: getZipCodeBoundaries,
  communityAreas: getCommunityAreaBoundaries,
} as const;
