/*
 * What the page knows about each dataset, read from the API itself: `/v1/datasets` for titles,
 * row counts and last syncs, and the served OpenAPI document for each dataset's filters, time
 * column, points and aggregate groups. A dataset added to the API shows up here with no change.
 */
import { lf, sdkNameOf } from './sdk.js';

export interface DatasetInfo {
  key: string;
  /** `lf.<sdkName>` on the client. */
  sdkName: string;
  title: string;
  rowCount: number;
  lastLoadedAt: string | null;
  /** The column `from`/`to` filter on, when the dataset has one. */
  timeColumn: string | null;
  /** Rows carry a point (the list answers GeoJSON). */
  points: boolean;
  /** Filter parameters of the list (category columns), each taking several values. */
  filters: string[];
  /** Columns `aggregate` groups by (empty while the API has no aggregate endpoint for it). */
  groupable: string[];
  /** The aggregate's `bucket` values. */
  buckets: string[];
}

interface SpecParameter {
  name?: string;
  $ref?: string;
  schema?: { type?: string; enum?: string[]; items?: { enum?: string[] } };
}
interface SpecOperation {
  parameters?: SpecParameter[];
}
interface Spec {
  paths: Record<string, { get?: SpecOperation }>;
  components?: { parameters?: Record<string, SpecParameter> };
}

/** Parameters of a list that are not category filters. */
const NOT_FILTERS = new Set(['limit', 'cursor', 'count', 'format', 'fields', 'order', 'from', 'to', 'bbox']);

export async function loadCatalog(signal?: AbortSignal): Promise<DatasetInfo[]> {
  const [listed, spec] = await Promise.all([lf.datasets.list({ signal }), fetchSpec(signal)]);
  return listed.data.map((dataset) => describe(dataset, spec));
}

async function fetchSpec(signal?: AbortSignal): Promise<Spec> {
  const response = await fetch('/openapi.json', { signal });
  if (!response.ok) throw new Error(`/openapi.json answered ${response.status}`);
  return (await response.json()) as Spec;
}

function describe(dataset: { key: string; title: string; row_count: number; last_loaded_at?: string | null }, spec: Spec): DatasetInfo {
  const list = parametersOf(spec, `/v1/${dataset.key}`);
  const aggregate = parametersOf(spec, `/v1/${dataset.key}/aggregate`);
  const byName = new Map(list.map((parameter) => [parameter.name, parameter]));
  const hasTime = byName.has('from');
  // The list's default order is the time column, descending (`-date`), on every dataset with one.
  const timeOrder = byName.get('order')?.schema?.enum?.find((value) => value.startsWith('-'));
  return {
    key: dataset.key,
    sdkName: sdkNameOf(dataset.key),
    title: dataset.title,
    rowCount: dataset.row_count,
    lastLoadedAt: dataset.last_loaded_at ?? null,
    timeColumn: hasTime && timeOrder ? timeOrder.slice(1) : null,
    points: Boolean(byName.get('format')?.schema?.enum?.includes('geojson')),
    filters: list.map((parameter) => parameter.name!).filter((name) => name && !NOT_FILTERS.has(name)),
    groupable: aggregate.find((parameter) => parameter.name === 'group_by')?.schema?.items?.enum ?? [],
    buckets: aggregate.find((parameter) => parameter.name === 'bucket')?.schema?.enum ?? [],
  };
}

/** The GET's parameters with `$ref`s to shared parameters resolved. */
function parametersOf(spec: Spec, path: string): SpecParameter[] {
  const shared = spec.components?.parameters ?? {};
  return (spec.paths[path]?.get?.parameters ?? []).map((parameter) =>
    parameter.$ref ? (shared[parameter.$ref.split('/').pop()!] ?? {}) : parameter,
  );
}
