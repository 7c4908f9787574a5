import type { Database } from '../../core/db/connect.js';
import { fillPool } from '../../core/db/fill-pool.js';
import type { ServerLimits } from '../../server/src/limits.js';
import { openDatabase, type CliContext } from '../context.js';

/**
 * The API keeps all its connections open (min = max, as HikariCP advises for a service). A pool
 * that closed idle connections was down to one after half a minute of traffic that read no rows
 * (kept reports, health checks); the next burst of list requests then queued behind connection
 * set-ups, seconds long on a busy server. Replicas × this must stay under `max_connections`
 * (docs/scaling.md).
 */
export const API_POOL = { poolMin: 10, poolMax: 10 } as const;

/**
 * The connection the API serves with. On PostgreSQL the owner connection, used to migrate (with
 * no statement timeout), is closed and the API gets its own pool with `statement_timeout`: through
 * `API_DATABASE_URL` (the read-only `lakefront_api` role) when set, else `DATABASE_URL`. PGlite
 * (one connection per process) keeps the owner connection.
 */
export async function openApiDatabase(context: CliContext, owner: Database, limits: ServerLimits): Promise<Database> {
  const url = context.config.apiDatabaseUrl ?? (owner.backend === 'postgres' ? context.config.databaseUrl : undefined);
  if (!url) return owner;
  await owner.close();
  const api = await openDatabase(
    { ...context, config: { ...context.config, databaseUrl: url } },
    { ...API_POOL, statementTimeoutMs: limits.statementTimeoutMs, probe: false },
  );
  // Not awaited: the API starts, and answers 503, while the database is unreachable.
  void fillPool(api, API_POOL.poolMin);
  if (context.config.apiDatabaseUrl) context.log.info('the API reads through API_DATABASE_URL (read-only role)');
  return api;
}
