import type { ColumnType, DatasetDefinition } from '../../core/datasets/index.js';
import type { PortalColumn } from '../socrata/client.js';

/**
 * The portal's column metadata (`GET /api/views/{id}.json`) against a dataset's definition.
 * A defined column the portal lacks would read as NULL forever; a new portal column is not
 * mirrored; a changed type would turn values into NULLs: all three are worth saying.
 */
export interface SchemaDrift {
  /** Defined columns (their portal field names) the portal does not have. */
  readonly missing: readonly string[];
  /** Portal columns the definition does not read (computed regions excluded). */
  readonly added: readonly string[];
  /** Columns whose portal type the defined storage type cannot take. */
  readonly retyped: readonly { field: string; defined: ColumnType | 'point'; portal: string }[];
}

/**
 * Portal types (`dataTypeName`) each storage type takes without losing values. Deliberately
 * broad where the portal's typing is loose: it types ids such as CTA's `station_id` as text
 * while they are numbers, and codes such as `beat` as numbers while leading zeros matter.
 */
const ACCEPTS: Readonly<Record<ColumnType | 'point', readonly string[]>> = {
  text: ['text', 'number', 'url', 'email', 'phone', 'html'],
  integer: ['number', 'money', 'percent', 'double', 'text'],
  bigint: ['number', 'money', 'percent', 'double', 'text'],
  numeric: ['number', 'money', 'percent', 'double', 'text'],
  double: ['number', 'money', 'percent', 'double', 'text'],
  boolean: ['checkbox'],
  timestamp: ['floating_timestamp', 'calendar_date', 'date'],
  date: ['floating_timestamp', 'calendar_date', 'date'],
  timestamptz: ['fixed_timestamp', 'date'],
  geometry: ['multipolygon', 'polygon', 'multiline', 'line', 'multipoint', 'point'],
  point: ['point', 'location'],
};

export function compareSchema(dataset: DatasetDefinition, portal: readonly PortalColumn[]): SchemaDrift {
  const portalTypes = new Map(portal.map((column) => [column.fieldName, column.dataTypeName]));
  const defined = new Map<string, ColumnType | 'point'>();
  for (const column of dataset.columns) {
    // System fields (`:id`) are not data columns: the metadata never lists them.
    if (!(column.source ?? column.name).startsWith(':')) defined.set(column.source ?? column.name, column.type);
  }
  if (dataset.point) defined.set(dataset.point.source, 'point');
  const missing: string[] = [];
  const retyped: { field: string; defined: ColumnType | 'point'; portal: string }[] = [];
  for (const [field, type] of defined) {
    const portalType = portalTypes.get(field);
    if (portalType === undefined) {
      // Columns filled from the point when the portal has no separate ones (cta-stops) are not missing.
      if (!isFilledFromPoint(dataset, field) || !portalTypes.has(dataset.point!.source)) missing.push(field);
    } else if (!ACCEPTS[type].includes(portalType)) {
      retyped.push({ field, defined: type, portal: portalType });
    }
  }
  const added = portal.map((column) => column.fieldName).filter((field) => !defined.has(field) && !field.startsWith(':'));
  return { missing, added, retyped };
}

function isFilledFromPoint(dataset: DatasetDefinition, field: string): boolean {
  return Boolean(dataset.point && (dataset.point.latitude === field || dataset.point.longitude === field));
}

export function hasDrift(drift: SchemaDrift): boolean {
  return drift.missing.length > 0 || drift.added.length > 0 || drift.retyped.length > 0;
}

/** One line for the log and `lakefront status`; undefined when nothing drifted. */
export function describeDrift(drift: SchemaDrift): string | undefined {
  const parts: string[] = [];
  if (drift.missing.length) parts.push(`missing on the portal: ${drift.missing.join(', ')}`);
  if (drift.retyped.length) parts.push(`type changed: ${drift.retyped.map((item) => `${item.field} (defined ${item.defined}, portal ${item.portal})`).join(', ')}`);
  if (drift.added.length) parts.push(`new on the portal: ${drift.added.join(', ')}`);
  return parts.length ? parts.join('; ') : undefined;
}
