import {
  DEFAULT_LIMIT,
  DEFAULT_ORDER,
  MAX_GROUPS,
  MAX_LIMIT,
  MEASURES,
  bucketField,
  measureField,
  type AggregateModel,
  type Bucket,
  type Measure,
} from '../../../core/aggregate/model.js';
import type { ListRequest } from '../datasets-api/list-query.js';
import type { ListSurface } from '../../../core/datasets/list-surface.js';
import { parseTimeRange } from '../local-time.js';
import { HttpProblem } from '../problems.js';

/** The rows an aggregate reads: exactly the list endpoint's filters, so counts agree with `count=exact`. */
export type AggregateFilters = Pick<ListRequest, 'range' | 'equals' | 'bbox'>;

export interface MeasureRequest {
  readonly measure: Measure;
  readonly column: string;
  /** The output field, e.g. `avg_fare`. */
  readonly field: string;
}

/** An aggregate request after validation. Every column name in it comes from the model. */
export interface AggregateRequest {
  readonly groupBy: readonly string[];
  readonly bucket?: Bucket;
  readonly measures: readonly MeasureRequest[];
  readonly order: { readonly field: string; readonly descending: boolean };
  readonly limit: number;
  readonly filters: AggregateFilters;
}

/** The fields of each answer row, in order: groups, then the bucket, then `count` and the measures. */
export function outputFieldsOf(request: Pick<AggregateRequest, 'groupBy' | 'bucket' | 'measures'>): string[] {
  return [...request.groupBy, ...(request.bucket ? [bucketField(request.bucket)] : []), 'count', ...request.measures.map((item) => item.field)];
}

/**
 * Reads the typed query (names and types already checked against the spec) into a request.
 * What the spec cannot say is checked here, each failure naming its parameter and what is allowed.
 */
export function readAggregateRequest(model: AggregateModel, surface: ListSurface, query: Record<string, unknown>): AggregateRequest {
  const groupBy = (query.group_by as string[] | undefined) ?? [];
  const allowedGroups = model.groupable.map((column) => column.name);
  const unknownGroup = groupBy.find((name) => !allowedGroups.includes(name));
  if (unknownGroup !== undefined) throw HttpProblem.badParameter('group_by', `"${unknownGroup}" cannot be grouped by; allowed: ${allowedGroups.join(', ')}`);
  if (new Set(groupBy).size !== groupBy.length) throw HttpProblem.badParameter('group_by', 'names a column twice');
  if (groupBy.length > MAX_GROUPS) throw HttpProblem.badParameter('group_by', `at most ${MAX_GROUPS} columns; allowed: ${allowedGroups.join(', ')}`);

  const bucket = query.bucket as Bucket | undefined;
  if (bucket !== undefined && !model.buckets.includes(bucket)) {
    const allowed = model.buckets.length ? `allowed: ${model.buckets.join(', ')}` : 'this dataset has no time column';
    throw HttpProblem.badParameter('bucket', `"${bucket}" is not available; ${allowed}`);
  }

  const measures: MeasureRequest[] = [];
  for (const measure of MEASURES) {
    for (const column of (query[measure] as string[] | undefined) ?? []) {
      if (!model.numeric.includes(column)) {
        const allowed = model.numeric.length ? `allowed: ${model.numeric.join(', ')}` : 'this dataset has no numeric columns';
        throw HttpProblem.badParameter(measure, `"${column}" is not a numeric column; ${allowed}`);
      }
      const field = measureField(measure, column);
      if (!measures.some((item) => item.field === field)) measures.push({ measure, column, field });
    }
  }

  const fields = outputFieldsOf({ groupBy, measures, ...(bucket ? { bucket } : {}) });
  const orderText = (query.order as string | undefined) ?? DEFAULT_ORDER;
  const orderField = orderText.replace(/^-/, '');
  if (!fields.includes(orderField)) {
    throw HttpProblem.badParameter('order', `"${orderText}" is not a field of this answer; allowed: ${fields.flatMap((field) => [field, `-${field}`]).join(', ')}`);
  }

  const limit = (query.limit as number | undefined) ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw HttpProblem.badParameter('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);

  return {
    groupBy,
    ...(bucket ? { bucket } : {}),
    measures,
    order: { field: orderField, descending: orderText.startsWith('-') },
    limit,
    filters: readFilters(surface, query),
  };
}

function readFilters(surface: ListSurface, query: Record<string, unknown>): AggregateFilters {
  const range = surface.timeColumn ? parseTimeRange(query.from as string | undefined, query.to as string | undefined) : {};
  const equals = surface.filters
    .map((filter) => ({ column: filter.column, values: (query[filter.parameter] as unknown[] | undefined) ?? [] }))
    .filter((item) => item.values.length > 0);
  const bbox = query.bbox as number[] | undefined;
  if (!bbox) return { range, equals };
  const [minLon, minLat, maxLon, maxLat] = bbox as [number, number, number, number];
  if (!(minLon < maxLon && minLat < maxLat)) throw HttpProblem.badParameter('bbox', 'must be minLon,minLat,maxLon,maxLat with min < max');
  return { range, equals, bbox: [minLon, minLat, maxLon, maxLat] };
}
