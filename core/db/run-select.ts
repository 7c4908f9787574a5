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
  if (!runsOnPool(knex)) return (await builder) as Record<string, unknown>[];
  const { sql, bindings } = builder.toSQL().toNative();
  return runOnPool(knex, sql, bindings);
}

/**
 * A SELECT whose SQL text is decided by `shape` alone: two selects of one shape differ only in
 * `bindings`, given in the order knex binds them. `build` makes the query builder.
 */
export interface ShapedSelect {
  readonly shape: string;
  readonly bindings: readonly unknown[];
  build(): Knex.QueryBuilder;
}

/** Shapes compiled per knex instance. Bounded: shapes come from URLs, and any client can make new ones. */
const compiledShapes = new WeakMap<Knex, { sql: Map<string, string>; compiled: number }>();
const MAX_SHAPES = 1_000;

/** How many shaped selects knex has compiled on this instance (each shape once, while it stays cached). */
export function shapedSelectsCompiled(knex: Knex): number {
  return compiledShapes.get(knex)?.compiled ?? 0;
}

/**
 * runSelect for a query of a known shape: knex builds and compiles the first of each shape, and
 * later ones reuse its SQL with their own bindings. A list page's builder and its compilation
 * were the largest share of the API's own CPU per request. The SQL is reused only when the
 * bindings knex compiled equal `bindings` value for value, so a shape whose bindings are
 * described wrongly is compiled every time, never answered with another query's values.
 */
export async function runShapedSelect(knex: Knex, select: ShapedSelect): Promise<Record<string, unknown>[]> {
  if (!runsOnPool(knex)) return (await select.build()) as Record<string, unknown>[];
  let shapes = compiledShapes.get(knex);
  if (!shapes) compiledShapes.set(knex, (shapes = { sql: new Map(), compiled: 0 }));
  const cached = shapes.sql.get(select.shape);
  if (cached !== undefined) return runOnPool(knex, cached, select.bindings);
  const { sql, bindings } = select.build().toSQL().toNative();
  shapes.compiled += 1;
  if (bindings.length === select.bindings.length && bindings.every((value, index) => value === select.bindings[index])) {
    if (shapes.sql.size >= MAX_SHAPES) shapes.sql.clear();
    shapes.sql.set(select.shape, sql);
  }
  return runOnPool(knex, sql, bindings);
}

/** PGlite's knex client has no pooled connection, and a transaction holds its one: there the builder runs as usual. */
function runsOnPool(knex: Knex): boolean {
  return (knex.client as unknown as PoolingClient).config.client === 'pg' && !knex.isTransaction;
}

async function runOnPool(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const client = knex.client as unknown as PoolingClient;
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
