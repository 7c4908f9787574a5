import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '../db/connect.js';
import { migrateLatest } from '../db/migrate.js';

/**
 * Vitest's global setup for a run on PGlite: one database is migrated once, and every test file
 * starts from a dump of it (createTestDatabase) instead of a new cluster. PGlite makes a new
 * cluster in about 2.5 s of CPU and migrates it in 0.5 s; a dump loads in about 1 s. The dump is
 * made at the start of each `vitest run` from the migrations on disk; in watch mode, restart Vitest
 * after changing a migration.
 */
const TEMPLATE_ENV = 'LAKEFRONT_TEST_PGLITE_TEMPLATE';

export async function setup(): Promise<(() => void) | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const db = await connect({});
  try {
    await migrateLatest(db.knex);
    const dump = await db.pglite!.dumpDataDir('none');
    const folder = mkdtempSync(path.join(tmpdir(), 'lakefront-test-template-'));
    const file = path.join(folder, 'migrated.tar');
    writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
    // Test workers are started after the global setup and inherit the environment.
    process.env[TEMPLATE_ENV] = file;
    return () => rmSync(folder, { recursive: true, force: true });
  } finally {
    await db.close();
  }
}

let template: Blob | undefined;

/** The migrated PGlite database the global setup dumped, if this run has one. */
export function migratedPgliteTemplate(): Blob | undefined {
  const file = process.env[TEMPLATE_ENV];
  if (!file) return undefined;
  template ??= new Blob([readFileSync(file)]);
  return template;
}
