import type { DatasetDefinition } from './types.js';

/**
 * Business licenses, one row per license term or transaction. The key is `license_id`, which the
 * portal issues once per application ("a new id per term/application", 2017 portal metadata) and
 * which is unique in every slice seen. `id` (`<license_number>-<term start yyyymmdd>`) is not a
 * key: the portal does not enforce it, and `81823-20020516` is two different licenses there.
 * Codes and numbers the portal types as text (ward, precinct, account and license numbers) stay text.
 */
export const businessLicenses = {
  key: 'business-licenses',
  title: 'Business Licenses',
  sourceIds: ['r5kz-chrr'],
  table: 'business_licenses',
  schemaName: 'BusinessLicense',
  sync: { schedule: '17 * * * *', cadence: 'hourly' },
  primaryKey: ['license_id'],
  timeColumn: 'date_issued',
  point: { source: 'location', latitude: 'latitude', longitude: 'longitude' },
  filters: ['license_description', 'license_status', 'application_type', 'ward', 'police_district'],
  columns: [
    { name: 'id', type: 'text', description: 'License number and term start, e.g. 22308-20060816; not unique on the portal.' },
    { name: 'license_id', type: 'text', description: 'One per license application or term; the key.' },
    { name: 'account_number', type: 'text' },
    { name: 'site_number', type: 'text' },
    { name: 'legal_name', type: 'text' },
    { name: 'doing_business_as_name', type: 'text' },
    { name: 'address', type: 'text' },
    { name: 'city', type: 'text' },
    { name: 'state', type: 'text' },
    { name: 'zip_code', type: 'text', description: 'Address ZIP as entered (see geo_zip for the computed one).' },
    { name: 'ward', type: 'text' },
    { name: 'precinct', type: 'text' },
    { name: 'ward_precinct', type: 'text' },
    { name: 'police_district', type: 'text' },
    { name: 'community_area', type: 'text', description: 'Newer portal column; absent from older exports.' },
    { name: 'community_area_name', type: 'text', description: 'Newer portal column.' },
    { name: 'neighborhood', type: 'text', description: 'Newer portal column.' },
    { name: 'license_code', type: 'text' },
    { name: 'license_description', type: 'text' },
    { name: 'business_activity_id', type: 'text' },
    { name: 'business_activity', type: 'text' },
    { name: 'license_number', type: 'text' },
    { name: 'application_type', type: 'text', description: 'ISSUE, RENEW, C_LOC, C_CAPA, C_EXPA, C_SBA.' },
    { name: 'application_created_date', type: 'timestamp' },
    { name: 'application_requirements_complete', type: 'timestamp' },
    { name: 'payment_date', type: 'timestamp' },
    { name: 'conditional_approval', type: 'text' },
    { name: 'license_start_date', type: 'timestamp' },
    { name: 'expiration_date', type: 'timestamp' },
    { name: 'license_approved_for_issuance', type: 'timestamp' },
    { name: 'date_issued', type: 'timestamp', description: 'When the license was issued, Chicago local time.' },
    { name: 'license_status', type: 'text', description: 'AAI issued, AAC cancelled, REV revoked, REA revocation appealed.' },
    { name: 'license_status_change_date', type: 'timestamp' },
    { name: 'ssa', type: 'text', description: 'Special service area.' },
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
  ],
  sample: {
    file: 'r5kz-chrr.json',
    origin: 'dannguyen/chicago-city-data-processing-project-2024 data/alpha/municipal/sample.business-licenses.csv @ ee236dd2 (portal CSV export, rows 1-1,000)',
  },
} as const satisfies DatasetDefinition;
