import type { Database } from '../core/db/connect.js';
import { migrateLatest } from '../core/db/migrate.js';
import type { Logger } from '../core/log.js';

const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Applies pending migrations, unless the command runs as a least-privileged role
 * (`lakefront_ingest`) that may not even read the migration table: then the owner's
 * `lakefront migrate` is in charge of the schema, and the command goes on with what is there.
 */
export async function migrateUnlessRestricted(db: Database, log: Logger): Promise<void> {
  try {
    await migrateLatest(db.knex);
  } catch (error) {
    if ((error as { code?: string }).code !== INSUFFICIENT_PRIVILEGE) throw error;
    log.info('this role may not migrate; the schema is left to `lakefront migrate` as the owner');
  }
}
