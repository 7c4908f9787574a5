import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { communityAreas } from '../../core/datasets/community-areas.js';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import { connect, type Database } from '../../core/db/connect.js';
import { migrateLatest } from '../../core/db/migrate.js';
import { silentLogger } from '../../core/log.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { loadSample } from '../../ingest/load-sample.js';
import { enrichCommand } from '../commands/enrich.js';

const BIN = fileURLToPath(new URL('../bin.js', import.meta.url));
/** PostgreSQL: a fresh test database shared with the child process. PGlite: a data directory. */
let serverDb: Database | undefined;
let dataDir: string | undefined;

async function open(): Promise<Database> {
  return serverDb ?? connect({ dataDir });
}

function env(): NodeJS.ProcessEnv {
  return serverDb
    ? { ...process.env, DATABASE_URL: databaseUrlOf(serverDb), LOG_LEVEL: 'warn' }
    : { ...process.env, DATABASE_URL: '', LAKEFRONT_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
}

async function lakefront(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: env() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeAll(async () => {
  if (process.env.DATABASE_URL) serverDb = await createTestDatabase();
  else dataDir = mkdtempSync(path.join(tmpdir(), 'lakefront-enrich-'));
  const db = await open();
  await migrateLatest(db.knex);
  for (const dataset of [zipCodes, communityAreas, crimes]) await loadSample(db.knex, dataset, silentLogger);
  if (!serverDb) await db.close();
});
afterAll(async () => {
  await serverDb?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('lakefront enrich', () => {
  it('computes geo_zip and geo_community_area of the stored rows and says how many changed', async () => {
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
    try {
      await enrichCommand({ config: loadConfig(env()), log: silentLogger }, ['crimes']);
    } finally {
      write.mockRestore();
    }
    expect(printed.join('')).toBe('crimes: 6957 rows checked, 6884 updated\n');

    const db = await open();
    try {
      const [counts] = (await db.knex('api.crimes').select(db.knex.raw('count(geo_zip)::int AS zips, count(geo_community_area)::int AS areas'))) as [{ zips: number; areas: number }];
      expect(counts).toEqual({ zips: 6884, areas: 6884 });
    } finally {
      if (!serverDb) await db.close();
    }
  });

  it('refuses an unknown dataset with one line and exit 1', async () => {
    const unknown = await lakefront('enrich', 'crimez');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^lakefront: unknown dataset "crimez"; known: .*crimes.*\n$/);
  });

  it('refuses a dataset without coordinates', async () => {
    await expect(enrichCommand({ config: loadConfig(env()), log: silentLogger }, ['zip-codes'])).rejects.toThrow(
      'dataset "zip-codes" has no coordinates to enrich',
    );
  });
});
