import { GEO_COLUMNS, type ColumnType, type DatasetDefinition } from './index.js';

/**
 * What the list endpoint of one dataset offers, derived from its definition alone. The server's
 * list queries read it, and `npm run generate` writes the spec's per-dataset parts from it
 * (openapi/datasets/list.ts).
 */
export interface ListSurface {
  readonly dataset: DatasetDefinition;
  /** Columns served, in order: the definition's columns, then the geo columns for point datasets. */
  readonly fields: readonly FieldInfo[];
  /** Equality filters: query parameter → column. */
  readonly filters: readonly FilterInfo[];
  /** Allowed `order` values, the first is the default. */
  readonly orders: readonly OrderInfo[];
  readonly timeColumn?: string;
  /** Latitude and longitude columns, for `bbox` and GeoJSON. */
  readonly point?: { readonly latitude: string; readonly longitude: string };
}

export interface FieldInfo {
  readonly name: string;
  readonly type: ColumnType;
}

export interface FilterInfo {
  /** Query parameter name. */
  readonly parameter: string;
  readonly column: string;
  readonly type: ColumnType;
}

export interface OrderInfo {
  /** The `order` value, e.g. `-date`. */
  readonly value: string;
  /** Sort key: the indexed column, then the primary key as tie-breaker. */
  readonly columns: readonly string[];
  readonly descending: boolean;
  /**
   * Whether the first column may be NULL (a time column). Those are indexed `DESC NULLS LAST`, so
   * the order spells NULLS out to match; a primary key uses its index's default order.
   */
  readonly nullable: boolean;
}

export { SQL_TYPES } from './index.js';

const surfaces = new Map<string, ListSurface>();

export function listSurface(dataset: DatasetDefinition): ListSurface {
  let surface = surfaces.get(dataset.key);
  if (!surface) {
    surface = buildSurface(dataset);
    surfaces.set(dataset.key, surface);
  }
  return surface;
}

function buildSurface(dataset: DatasetDefinition): ListSurface {
  const fields: FieldInfo[] = dataset.columns.map((column) => ({ name: column.name, type: column.type }));
  const typeOf = (name: string): ColumnType => {
    const field = fields.find((item) => item.name === name);
    if (!field) throw new Error(`${dataset.key}: column ${name} is not defined`);
    return field.type;
  };
  const filters: FilterInfo[] = (dataset.filters ?? []).map((column) => ({ parameter: column, column, type: typeOf(column) }));
  if (dataset.point) {
    fields.push({ name: GEO_COLUMNS.zip, type: 'text' }, { name: GEO_COLUMNS.communityArea, type: 'integer' });
    if (!filters.some((filter) => filter.parameter === 'zip')) filters.push({ parameter: 'zip', column: GEO_COLUMNS.zip, type: 'text' });
    if (!filters.some((filter) => filter.parameter === 'community_area')) {
      // The portal's own community area wins where the dataset has one; else the computed one.
      const own = fields.find((field) => field.name === 'community_area');
      filters.push({
        parameter: 'community_area',
        column: own ? own.name : GEO_COLUMNS.communityArea,
        type: own ? own.type : 'integer',
      });
    }
    // Named for the columns they read, on every point dataset: the computed ZIP and community area,
    // whatever the portal's own columns say (often nothing: business licenses leave theirs empty).
    filters.push({ parameter: GEO_COLUMNS.zip, column: GEO_COLUMNS.zip, type: 'text' }, { parameter: GEO_COLUMNS.communityArea, column: GEO_COLUMNS.communityArea, type: 'integer' });
  }
  const keyColumns = [...dataset.primaryKey];
  const orders: OrderInfo[] = [];
  if (dataset.timeColumn) {
    const columns = [dataset.timeColumn, ...keyColumns.filter((column) => column !== dataset.timeColumn)];
    orders.push(
      { value: `-${dataset.timeColumn}`, columns, descending: true, nullable: true },
      { value: dataset.timeColumn, columns, descending: false, nullable: true },
    );
  }
  const [firstKey] = keyColumns;
  if (firstKey && firstKey !== dataset.timeColumn) {
    orders.push(
      { value: firstKey, columns: keyColumns, descending: false, nullable: false },
      { value: `-${firstKey}`, columns: keyColumns, descending: true, nullable: false },
    );
  }
  return {
    dataset,
    fields,
    filters,
    orders,
    ...(dataset.timeColumn ? { timeColumn: dataset.timeColumn } : {}),
    ...(dataset.point ? { point: { latitude: dataset.point.latitude, longitude: dataset.point.longitude } } : {}),
  };
}
