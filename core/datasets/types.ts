/**
 * The shape of a dataset definition. Each dataset is described once, in its own file beside
 * this one; ingest, migrations, the API and the sample loader all read that one description.
 */

/**
 * How a column is stored in Postgres. The SODA wire format (every number a string, floating
 * timestamps without a zone) is converted to these by `ingest/soda-values.ts`.
 *
 * - `timestamp`: a Socrata floating timestamp, Chicago local wall time, stored as
 *   `timestamp without time zone` and served as `YYYY-MM-DDTHH:MM:SS` (no offset).
 * - `timestamptz`: a fixed instant (Socrata system fields), served as ISO 8601 UTC with `Z`.
 * - `geometry`: GeoJSON kept as `jsonb` (boundary polygons).
 */
export type ColumnType =
  | 'text'
  | 'integer'
  | 'bigint'
  | 'numeric'
  | 'double'
  | 'boolean'
  | 'timestamp'
  | 'timestamptz'
  | 'date'
  | 'geometry';

/** The Postgres type of each column type, for casts of bound values and typed record sets. */
export const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  double: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  date: 'date',
  geometry: 'jsonb',
};

export interface ColumnDefinition {
  /** Column name in Postgres and in the API: the portal's field name. */
  readonly name: string;
  readonly type: ColumnType;
  /** SODA field to read, when it differs from `name`. */
  readonly source?: string;
  readonly description?: string;
}

/** A point field in SODA (`{"type":"Point","coordinates":[lon,lat]}`), flattened into two columns. */
export interface PointMapping {
  /** SODA field holding the point, e.g. `location`. */
  readonly source: string;
  /** Columns (declared in `columns`) that receive latitude and longitude when the row lacks them. */
  readonly latitude: string;
  readonly longitude: string;
}

/**
 * How often a dataset changes at the source, which decides how often it is synced in production
 * (deploy/k8s/sync-cronjobs.ts turns each cadence into deadlines and limits).
 */
export type SyncCadence = 'minutes' | 'hourly' | 'daily' | 'weekly';

export interface SyncPlan {
  /** Cron schedule, America/Chicago. Stagger minutes so the jobs do not all start together. */
  readonly schedule: string;
  readonly cadence: SyncCadence;
}

export interface DatasetDefinition {
  /** The dataset key used in URLs and on the CLI, e.g. `crimes`. */
  readonly key: string;
  readonly title: string;
  /**
   * The name of one row in the spec and the SDK: the dataset's singular in PascalCase (`Crime`).
   * The spec's schemas `<Name>`, `<Name>Page` and response `<Name>List` are named from it.
   */
  readonly schemaName: string;
  /** When the production scheduler syncs this dataset (one CronJob each). */
  readonly sync: SyncPlan;
  /**
   * Portal ids whose rows land in this dataset, oldest period first. Ids are configuration:
   * `LAKEFRONT_SOURCES_<KEY>` (key upper-cased, `-` as `_`) overrides them, comma-separated.
   */
  readonly sourceIds: readonly string[];
  /** Table in schema `data`; the API reads the view of the same name in schema `api`. */
  readonly table: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
  /** The column that `from`/`to` filter on and that `--since` bounds. */
  readonly timeColumn?: string;
  readonly point?: PointMapping;
  /** Column holding a GeoJSON (Multi)Polygon, for boundary datasets. */
  readonly geometryColumn?: string;
  /**
   * Category columns the list endpoint filters on by equality, several values allowed
   * (for crimes: primary_type, district, ward, community_area, arrest, domestic).
   */
  readonly filters?: readonly string[];
  /** Bundled real sample rows (SODA JSON), loaded by `npm start` into an empty database. */
  readonly sample?: { readonly file: string; readonly origin: string };
}
