// '@lakefront/sdk/operations': the generated operation of each path, as handles for `dataset()` and
// `endpoint()` (`dataset(client, listCrimes)`), so a bundle carries only the ones it imports.
// Call them through those functions, not directly: alone they know no server.
export * from './generated/operations.gen.js';
