import { datasetAggregateHandlers } from '../aggregate/handlers.js';
import { datasetListHandlers } from '../datasets-api/handlers.js';
import type { AppDeps } from '../deps.js';
import type { Handlers } from '../operations.js';
import { reportHandlers } from '../reports/handlers.js';
import { getCommunityAreaBoundaries, getZipCodeBoundaries } from './boundaries.js';
import { listDatasets } from './datasets.js';
import { getHealth, getReadiness } from './health.js';

export function createHandlers(deps: AppDeps): Handlers {
  return {
    listDatasets: listDatasets(deps),
    ...datasetListHandlers(deps),
    ...datasetAggregateHandlers(deps),
    ...reportHandlers(deps),
    getZipCodeBoundaries: getZipCodeBoundaries(deps),
    getCommunityAreaBoundaries: getCommunityAreaBoundaries(deps),
    getHealth: getHealth(),
    getReadiness: getReadiness(deps),
  };
}
