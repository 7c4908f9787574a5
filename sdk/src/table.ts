/*
 * The facade's whole knowledge of the API: which generated operation serves which name. Covering
 * a new dataset or report is one line here; its parameters and rows are typed from the spec.
 * Keys are the API's kebab-case keys in camelCase (`service-requests` → `serviceRequests`).
 */
import {
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
export const REPORT_OPERATIONS = {} as const;
