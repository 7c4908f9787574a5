// Public entry of @lakefront/sdk. The generated client stays in ./generated; only what is
// exported here is the package's API.
export { createClient } from './generated/client/index.js';
export * from './generated/index.js';
