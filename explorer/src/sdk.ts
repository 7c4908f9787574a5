/*
 * The page's one Lakefront client: the published SDK, pointed at the page's own origin. The page
 * picks datasets at run time, so it reaches `lf.<dataset>` through the loose view below instead
 * of the per-dataset types (which need the dataset known at compile time).
 */
import { createLakefront, type CallOptions } from '@lakefront/sdk';

export type Row = Record<string, unknown>;
export type Params = Record<string, unknown>;

export interface Page {
  data: Row[];
  next_cursor?: string | null;
  total?: number;
}

export interface AggregateAnswer {
  data: Array<Row & { count: number }>;
  truncated: boolean;
}

export interface PointFeatures {
  features: Array<{ geometry: { type: 'Point'; coordinates: [number, number] } | null; properties: Row }>;
}

/** What the page uses of `lf.<dataset>`: `aggregate` and `geojson` exist only where the API offers them. */
export interface LooseDatasetApi {
  list(params: Params, options?: CallOptions): Promise<Page>;
  geojson?(params: Params, options?: CallOptions): Promise<PointFeatures>;
  aggregate?(params: Params, options?: CallOptions): Promise<AggregateAnswer>;
}

export const lf = createLakefront({ baseUrl: '/', retry: { retries: 1 } });

export function datasetApi(sdkName: string): LooseDatasetApi | undefined {
  return (lf as unknown as Record<string, LooseDatasetApi | undefined>)[sdkName];
}

/** `primary_type` → `primaryType`: the SDK's parameter names (it sends them back as snake_case). */
export function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** `service-requests` → `serviceRequests`: the dataset's name on the client. */
export function sdkNameOf(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}
