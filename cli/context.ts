import type { Config } from '../core/config.js';
import { connect, type Database } from '../core/db/connect.js';
import type { Logger } from '../core/log.js';

export interface CliContext {
  readonly config: Config;
  readonly log: Logger;
}

/**
 * Opens the database and checks it answers, so a wrong URL or a stopped server is one clear line,
 * not a stack. `probe: false` skips the check: the API's pool starts anyway, answers 503 and
 * reconnects once the database lets it in.
 */
export async function openDatabase(
  { config, log }: CliContext,
  options: { poolMin?: number; poolMax?: number; statementTimeoutMs?: number; probe?: boolean } = {},
): Promise<Database> {
  const { probe = true, ...connectOptions } = options;
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...connectOptions });
  if (probe) await answers(db);
  log.info({ database: db.description }, 'database');
  return db;
}

async function answers(db: Database): Promise<void> {
  try {
    await db.knex.raw('SELECT 1');
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new Error(unavailable(db.description, 'DATABASE_URL', error as { code?: string; message?: string }));
  }
}

function unavailable(description: string, variable: string, error: { code?: string; message?: string }): string {
  const cause = (error.message ?? String(error)).split('\n')[0];
  switch (error.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `cannot reach PostgreSQL at ${description} (${cause}): is it running, and is ${variable} right?`;
    case '3D000':
      return `${cause} at ${description}: create it (createdb) or fix ${variable}`;
    case '28000':
    case '28P01':
      return `PostgreSQL refused the login for ${description} (${cause}): check the user and password in ${variable}`;
    default:
      return `cannot open the database ${description}: ${cause}`;
  }
}
