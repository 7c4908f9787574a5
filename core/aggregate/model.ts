import { GEO_COLUMNS, type ColumnType, type DatasetDefinition } from '../datasets/index.js';
import { ident } from '../db/sql-ident.js';

/**
 * What `GET /v1/{key}/aggregate` offers for one dataset, derived from its definition alone: the
 * spec generator and the server both read it, so the two cannot disagree. Every column name the
 * SQL uses comes from here, never from a request.
 */
export interface AggregateModel {
  readonly dataset: DatasetDefinition;
  /** Columns `group_by` may name: the category filters, plus the computed geo columns of point datasets. */
  readonly groupable: readonly AggregateColumn[];
  /** Columns `sum`/`avg`/`min`/`max` may name: the numeric columns that are not part of the key. */
  readonly numeric: readonly string[];
  /** `bucket` values; empty without a time column. */
  readonly buckets: readonly Bucket[];
  readonly time?: AggregateColumn;
  /** What the rollups count by: each groupable column, then the hour of day where the time has one. */
  readonly dims: readonly RollupDim[];
}

export interface AggregateColumn {
  readonly name: string;
  readonly type: ColumnType;
}

/** Calendar buckets answer `period` (the bucket's first day); `dow` and `hour` answer themselves. */
export const PERIOD_BUCKETS = ['year', 'quarter', 'month', 'week', 'day'] as const;
export const BUCKETS = [...PERIOD_BUCKETS, 'dow', 'hour'] as const;
export type Bucket = (typeof BUCKETS)[number];
export type PeriodBucket = (typeof PERIOD_BUCKETS)[number];

export const MEASURES = ['sum', 'avg', 'min', 'max'] as const;
export type Measure = (typeof MEASURES)[number];

export const MAX_GROUPS = 3;
export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;
export const DEFAULT_ORDER = '-count';

const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['integer', 'bigint', 'numeric', 'double']);

const models = new Map<string, AggregateModel>();

export function aggregateModel(dataset: DatasetDefinition): AggregateModel {
  let model = models.get(dataset.key);
  if (!model) models.set(dataset.key, (model = buildModel(dataset)));
  return model;
}

function buildModel(dataset: DatasetDefinition): AggregateModel {
  const typeOf = (name: string): ColumnType => {
    const column = dataset.columns.find((item) => item.name === name);
    if (!column) throw new Error(`${dataset.key}: column ${name} is not defined`);
    return column.type;
  };
  const groupable: AggregateColumn[] = (dataset.filters ?? []).map((name) => ({ name, type: typeOf(name) }));
  if (dataset.point) groupable.push({ name: GEO_COLUMNS.zip, type: 'text' }, { name: GEO_COLUMNS.communityArea, type: 'integer' });
  const numeric = dataset.columns
    .filter((column) => NUMERIC_TYPES.has(column.type) && !dataset.primaryKey.includes(column.name))
    .map((column) => column.name);
  const time = dataset.timeColumn ? { name: dataset.timeColumn, type: typeOf(dataset.timeColumn) } : undefined;
  // A `date` column has no time of day: every hour would be 0.
  const buckets = !time ? [] : BUCKETS.filter((bucket) => bucket !== 'hour' || time.type !== 'date');
  const dims: RollupDim[] = groupable.map((column) => ({ name: column.name, type: column.type, sql: ident(column.name) }));
  if (time && buckets.includes('hour')) dims.push({ name: HOUR_DIM, type: 'integer', sql: `extract(hour FROM ${ident(time.name)})::int` });
  return { dataset, groupable, numeric, buckets, ...(time ? { time } : {}), dims };
}

/**
 * The rollups' name for the hour of day of the time column: a dimension like a column (alone, and
 * paired with each column), so `bucket=hour` is answered from them too. `@` cannot begin a column
 * name, so it never meets one.
 */
export const HOUR_DIM = '@hour';

/** A dimension the rollups count by (`AggregateModel.dims`): a groupable column, or the hour of day. */
export interface RollupDim {
  readonly name: string;
  readonly type: ColumnType;
  /** The SQL for its value in a row of the dataset's table (or of a trigger's transition table). */
  readonly sql: string;
}

/** The output field of a bucket: `period` for calendar buckets, else the bucket's own name. */
export function bucketField(bucket: Bucket): 'period' | 'dow' | 'hour' {
  return bucket === 'dow' || bucket === 'hour' ? bucket : 'period';
}

export function measureField(measure: Measure, column: string): string {
  return `${measure}_${column}`;
}

/** Every field an answer of this dataset can hold, in the order a row lists them. */
export function possibleFields(model: AggregateModel): string[] {
  const bucketFields = [...new Set(model.buckets.map(bucketField))];
  const measures = MEASURES.flatMap((measure) => model.numeric.map((column) => measureField(measure, column)));
  return [...model.groupable.map((column) => column.name), ...bucketFields, 'count', ...measures];
}
