// Public entry of @lakefront/sdk: the hand-written facade, its errors, and the spec's types.
// The generated client (./generated) is an implementation detail and is not exported.
export { createLakefront, type EndpointApi, type Lakefront, type LakefrontOptions } from './lakefront.js';
export { LakefrontAbortError, LakefrontError, LakefrontNetworkError, type ParameterProblem } from './errors.js';
export type { RetryOptions } from './retry.js';
export type { CallOptions, ParamsOf, ResultOf } from './operation.js';
export type { DatasetApi, DatasetApiOf, FeaturesOf, ListParams, PageOf, PointDatasetApi, RowOf, RowsParams } from './dataset.js';
export type { CamelCase, CamelKeys } from './naming.js';
export type * from './generated/types.gen.js';
