// Public entry of @lakefront/sdk: the hand-written facade, its errors, and the spec's types.
// The generated client (./generated) is an implementation detail; its operation functions are
// exported from '@lakefront/sdk/operations' only as handles for `dataset()` and `endpoint()`.
export { createLakefront, type Lakefront } from './lakefront.js';
export {
  createLakefrontClient,
  dataset,
  DEFAULT_TIMEOUT_MS,
  endpoint,
  type EndpointApi,
  type EndpointCall,
  type LakefrontClient,
  type LakefrontOptions,
} from './client.js';
export {
  LakefrontAbortError,
  LakefrontError,
  LakefrontInvalidRequestError,
  LakefrontNetworkError,
  LakefrontNotFoundError,
  LakefrontRateLimitError,
  LakefrontServerError,
  LakefrontTimeoutError,
  type ParameterProblem,
} from './errors.js';
export { etagOf, isNotModified, type ConditionalCallOptions, type NotModified } from './not-modified.js';
export type { RetryOptions } from './retry.js';
export type { CallOptions, RequestContext, ResponseContext } from './transport.js';
export type { ParamsOf, ResultOf } from './operation.js';
export type { InfiniteQueryOptions, LakefrontQueryKey, QueryOptions } from './query.js';
export { aggregate, type AggregateAnswer, type AggregateApi, type AggregateParams, type AggregateRowOf } from './aggregate.js';
export type { DatasetApi, DatasetApiOf, FeaturesOf, FieldOf, FieldsParam, ListParams, PageOf, PagesOptions, PointDatasetApi, RowOf, RowsParams } from './dataset.js';
export type { CamelCase, CamelKeys } from './naming.js';
export type * from './generated/types.gen.js';
export type * from './generated/params.gen.js';
