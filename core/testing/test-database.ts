import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { connect, type Database } from '../db/connect.js';
import { migrateLatest } from '../db/migrate.js';
import { migratedPgliteTemplate } from './pglite-template.js';

/**
 * A real, empty, migrated database for one test file: in-memory PGlite by default, or a fresh
 * database on the server named by DATABASE_URL (dropped again by `close`).
 */
export async function createTestDatabase(options: { migrate?: boolean; statementTimeoutMs?: number } = {}): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  let db: Database;
  const migrate = options.migrate ?? true;
  if (!serverUrl) {
    const template = migrate ? migratedPgliteTemplate() : undefined;
    db = await connect({ pgliteDump: template });
    if (template) return db;
  } else {
    const name = `lakefront_test_${randomBytes(6).toString('hex')}`;
    await withAdmin(serverUrl, (admin) => admin.raw(`CREATE DATABASE ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const inner = await connect({ databaseUrl: url.toString(), poolMax: 5, statementTimeoutMs: options.statementTimeoutMs });
    db = {
      ...inner,
      close: async () => {
        await inner.close();
        await withAdmin(serverUrl, (admin) => admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      },
    };
  }
  if (migrate) await migrateLatest(db.knex);
  return db;
}

/** The URL of a test database created by `createTestDatabase` on a real server, for child processes. */
export function databaseUrlOf(db: Database): string | undefined {
  const connection = db.knex.client.config.connection as { connectionString?: string } | undefined;
  return connection?.connectionString;
}

async function withAdmin(serverUrl: string, work: (admin: knexFactory.Knex) => Promise<unknown>): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  try {
    await work(admin);
  } finally {
    await admin.destroy();
  }
}
