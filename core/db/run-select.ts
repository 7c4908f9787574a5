import type { Knex } from 'knex';

interface PooledPgConnection {
  query(config: { text: string; values: readonly unknown[] }, callback: (error: Error | null, result: { rows: Record<string, unknown>[] }) => void): void;
}

interface PoolingClient {
  readonly config: { client?: unknown };
  acquireConnection(): Promise<PooledPgConnection>;
  releaseConnection(connection: PooledPgConnection): Promise<unknown>;
}

/**
 * The rows of a built SELECT, sent on one of knex's pooled connections without knex's runner.
 *
 * On the API's hottest path (a list page) the runner's bookkeeping (query and response objects,
 * events, its promise chain) cost about as much CPU as node-postgres itself: 150 against 98 us a
 * query in a loop of one-row SELECTs. The connection still comes from knex's pool, so the pool's
 * size, its session settings (time zone, statement_timeout) and the cancellation of abandoned
 * requests (server/src/middleware/abandoned-work.ts wraps acquire and release) apply unchanged,
 * and the `query` event is still emitted for whoever listens (tests, bench:api-profile).
 * PGlite's knex client has no such connection, nor has a transaction a pool; there the builder
 * runs as usual.
 */
export async function runSelect(knex: Knex, builder: Knex.QueryBuilder): Promise<Record<string, unknown>[]> {
  const client = knex.client as unknown as PoolingClient;
  // A transaction holds its one connection: the builder runs on it, as usual.
  if (client.config.client !== 'pg' || knex.isTransaction) return (await builder) as Record<string, unknown>[];
  const { sql, bindings } = builder.toSQL().toNative();
  const connection = await client.acquireConnection();
  try {
    if (knex.listenerCount('query') > 0) knex.emit('query', { sql, bindings, method: 'select' });
    // With a callback, as knex's runner calls it. Without one, node-postgres wraps the query in
    // promises made before it runs; at load, young-generation collections then found each page's
    // row strings still referenced and promoted all of them to the old generation (2.4 MB a
    // scavenge, 8-10 ms pauses instead of 2.5), where only a full collection frees them.
    return await new Promise<Record<string, unknown>[]>((resolve, reject) =>
      connection.query({ text: sql, values: bindings }, (error, result) => (error ? reject(error) : resolve(result.rows))),
    );
  } finally {
    await client.releaseConnection(connection);
  }
}
