import { migrateLatest } from '../../core/db/migrate.js';
import { openDatabase, type CliContext } from '../context.js';

export async function migrateCommand(context: CliContext): Promise<void> {
  const db = await openDatabase(context);
  try {
    const applied = await migrateLatest(db.knex);
    context.log.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
  } finally {
    await db.close();
  }
}
