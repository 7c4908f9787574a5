import type { Database } from '../../core/db/connect.js';
import type { ServerLimits } from '../../server/src/limits.js';
import { openDatabase, type CliContext } from '../context.js';

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
    { statementTimeoutMs: limits.statementTimeoutMs, probe: false },
  );
  if (context.config.apiDatabaseUrl) context.log.info('the API reads through API_DATABASE_URL (read-only role)');
  return api;
}
