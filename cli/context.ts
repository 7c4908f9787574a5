import type { Config } from '../core/config.js';
import { connect, type Database } from '../core/db/connect.js';
import type { Logger } from '../core/log.js';

export interface CliContext {
  readonly config: Config;
  readonly log: Logger;
}

export async function openDatabase({ config, log }: CliContext, options: { poolMax?: number; statementTimeoutMs?: number } = {}): Promise<Database> {
  const db = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...options });
  log.info({ database: db.description }, 'database');
  return db;
}
