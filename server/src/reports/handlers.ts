import type { AppDeps } from '../deps.js';
import type { Handlers } from '../operations.js';
import { getCrimeTrends } from './crime-trends.js';
import { getCrimesByZip } from './crimes-by-zip.js';
import { rollupReport } from './rollup-report.js';

export type ReportOperationId =
  | 'getCrimesByZip'
  | 'getCrimeTrends'
  | 'getCrimesPerCapita'
  | 'getServiceRequestsByType'
  | 'getBusinessLicensesIssued'
  | 'getTrafficCrashesMonthly'
  | 'getTripsByCommunityArea'
  | 'getCtaStationRidesMonthly'
  | 'getFoodInspectionsMonthly';

/** Every report of `/v1/reports/…`; each reads one rollup from core/reports/rollups.ts. */
export function reportHandlers(deps: AppDeps): Pick<Handlers, ReportOperationId> {
  return {
    getCrimesByZip: getCrimesByZip(deps),
    getCrimeTrends: getCrimeTrends(deps),
    getCrimesPerCapita: rollupReport(deps, {
      view: 'api.crimes_per_capita',
      name: 'crimes-per-capita',
      inputs: ['crimes', 'population', 'zip-codes'],
      sources: ['crimes', 'population'],
      columns: { zip: 'zip', year: 'year', count: 'count', population: 'population', per_1000: 'per_1000' },
      filters: { zip: 'zip', year: 'year' },
      orderBy: ['zip', 'year'],
    }),
    getServiceRequestsByType: rollupReport(deps, {
      view: 'api.service_requests_by_type',
      name: 'service-requests-by-type',
      inputs: ['service-requests', 'zip-codes'],
      sources: ['service-requests'],
      columns: { zip: 'zip', sr_type: 'sr_type', status: 'status', count: 'count', median_days_to_close: 'median_days_to_close' },
      filters: { zip: 'zip', sr_type: 'sr_type', status: 'status' },
      orderBy: ['zip', 'sr_type', 'status'],
    }),
    getBusinessLicensesIssued: rollupReport(deps, {
      view: 'api.business_licenses_monthly',
      name: 'business-licenses-issued',
      inputs: ['business-licenses', 'zip-codes'],
      sources: ['business-licenses'],
      columns: { zip: 'zip', month: 'month', count: 'count', new_count: 'new_count' },
      filters: { zip: 'zip' },
      dateColumn: 'month',
      orderBy: ['zip', 'month'],
    }),
    getTrafficCrashesMonthly: rollupReport(deps, {
      view: 'api.traffic_crashes_monthly',
      name: 'traffic-crashes-monthly',
      inputs: ['traffic-crashes', 'zip-codes'],
      sources: ['traffic-crashes'],
      columns: { zip: 'zip', month: 'month', crashes: 'crashes', injuries: 'injuries', fatalities: 'fatalities' },
      filters: { zip: 'zip' },
      dateColumn: 'month',
      orderBy: ['zip', 'month'],
    }),
    getTripsByCommunityArea: rollupReport(deps, {
      view: 'api.trips_monthly',
      name: 'trips-by-community-area',
      inputs: ['taxi-trips', 'rideshare-trips'],
      sources: ['taxi-trips', 'rideshare-trips'],
      columns: {
        service: 'service',
        community_area: 'community_area',
        month: 'month',
        trips: 'trips',
        average_fare: 'round(fare_sum / nullif(fares, 0), 2)',
      },
      filters: { service: 'service', community_area: 'community_area' },
      dateColumn: 'month',
      orderBy: ['service', 'community_area', 'month'],
    }),
    getCtaStationRidesMonthly: rollupReport(deps, {
      view: 'api.cta_station_entries_monthly',
      name: 'cta-station-entries-monthly',
      inputs: ['cta-station-entries'],
      sources: ['cta-station-entries'],
      columns: { station_id: 'station_id', stationname: 'stationname', month: 'month', rides: 'rides' },
      filters: { station_id: 'station_id' },
      dateColumn: 'month',
      orderBy: ['station_id', 'month'],
    }),
    getFoodInspectionsMonthly: rollupReport(deps, {
      view: 'api.food_inspections_monthly',
      name: 'food-inspections-monthly',
      inputs: ['food-inspections', 'community-areas'],
      sources: ['food-inspections'],
      columns: {
        community_area: 'community_area',
        month: 'month',
        inspections: 'inspections',
        graded: 'graded',
        failures: 'failures',
        failure_rate: 'round(failures::numeric / nullif(graded, 0), 3)',
      },
      filters: { community_area: 'community_area' },
      dateColumn: 'month',
      orderBy: ['community_area', 'month'],
    }),
  };
}
