import type { Database } from '../../core/db/connect.js';
import type { ServerLimits } from '../../server/src/limits.js';
import { openDatabase, type CliContext } from '../context.js';

/**
 * The connection the API serves with. With `API_DATABASE_URL` (the read-only `lakefront_api`
 * role) the owner connection, used only to migrate, is closed and the API gets its own pool;
 * otherwise the API keeps the owner connection. Either way statements are time-limited.
 */
export async function openApiDatabase(context: CliContext, owner: Database, limits: ServerLimits): Promise<Database> {
  const url = context.config.apiDatabaseUrl;
  if (!url) return owner;
  await owner.close();
  const api = await openDatabase(
    { ...context, config: { ...context.config, databaseUrl: url } },
    { statementTimeoutMs: limits.statementTimeoutMs },
  );
  context.log.info('the API reads through API_DATABASE_URL (read-only role)');
  return api;
}
