import { findDataset } from '../../../core/datasets/index.js';
import type { AppDeps } from '../deps.js';
import type { Handlers } from '../operations.js';
import { listDataset } from './list-handler.js';

/**
 * `GET /v1/{key}` of every dataset is operation `list{PascalKey}` in the spec. The map is written
 * out so that a dataset added to the spec without a handler here fails `tsc`.
 */
const LIST_OPERATIONS = {
  listCrimes: 'crimes',
  listServiceRequests: 'service-requests',
  listBusinessLicenses: 'business-licenses',
  listTrafficCrashes: 'traffic-crashes',
  listTaxiTrips: 'taxi-trips',
  listRideshareTrips: 'rideshare-trips',
  listCtaStationEntries: 'cta-station-entries',
  listCtaStops: 'cta-stops',
  listPopulation: 'population',
  listZipCodes: 'zip-codes',
  listCommunityAreas: 'community-areas',
} as const;

export type ListOperationId = keyof typeof LIST_OPERATIONS;

export function datasetListHandlers(deps: AppDeps): Pick<Handlers, ListOperationId> {
  const handler = <K extends ListOperationId>(operation: K) => {
    const dataset = findDataset(LIST_OPERATIONS[operation]);
    if (!dataset) throw new Error(`operation ${operation}: no dataset ${LIST_OPERATIONS[operation]}`);
    return listDataset<K>(deps, dataset);
  };
  return {
    listCrimes: handler('listCrimes'),
    listServiceRequests: handler('listServiceRequests'),
    listBusinessLicenses: handler('listBusinessLicenses'),
    listTrafficCrashes: handler('listTrafficCrashes'),
    listTaxiTrips: handler('listTaxiTrips'),
    listRideshareTrips: handler('listRideshareTrips'),
    listCtaStationEntries: handler('listCtaStationEntries'),
    listCtaStops: handler('listCtaStops'),
    listPopulation: handler('listPopulation'),
    listZipCodes: handler('listZipCodes'),
    listCommunityAreas: handler('listCommunityAreas'),
  };
}
