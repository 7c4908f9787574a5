import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { syncDataset } from '../../ingest/sync/sync-dataset.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { readStatus } from '../commands/status.js';

const BIN = fileURLToPath(new URL('../bin.js', import.meta.url));
const PORTAL = 'ijzp-q8t2';
let server: SodaTestServer;

async function lakefront(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, LAKEFRONT_SOCRATA_URL: server.url, LOG_LEVEL: 'warn', DATABASE_URL: '' };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeAll(async () => {
  server = await startSodaServer();
  serveFixture(server.store, PORTAL, { rows: 50 });
});
afterAll(async () => {
  await server?.close();
});

describe('lakefront check', () => {
  it('says a dataset matches its definition and exits 0', async () => {
    const result = await lakefront('check', 'crimes');
    expect(result).toMatchObject({ code: 0, stdout: 'crimes (ijzp-q8t2): matches the definition\n' });
  });

  it('lists a renamed, a missing, an added and a retyped column, and exits 1', async () => {
    server.store.alterColumns(PORTAL, { rename: { location_description: 'location_desc' }, drop: ['fbi_code'], add: { police_sector: 'text' }, retype: { arrest: 'text' } });
    const result = await lakefront('check', 'crimes');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'crimes (ijzp-q8t2): DRIFT',
        '  missing on the portal: location_description',
        '  missing on the portal: fbi_code',
        '  type changed: arrest (defined boolean, portal text)',
        '  new on the portal: location_desc',
        '  new on the portal: police_sector',
        '',
      ].join('\n'),
    );
  });

  it('sees the same drift before a sync: a warning in the log and the line in status', async () => {
    const db: Database = await createTestDatabase();
    try {
      const { log, lines } = capturingLogger();
      const summary = await syncDataset(db, crimes, {
        socrata: { baseUrl: server.url, retries: 2, minTimeoutMs: 5 },
        log,
      });
      expect(summary.status).toBe('synced');
      const drift = 'missing on the portal: location_description, fbi_code; type changed: arrest (defined boolean, portal text); new on the portal: location_desc, police_sector';
      const warnings = lines().map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.msg.startsWith('schema drift'));
      expect(warnings.map((line) => [line.level, line.msg])).toEqual([[40, `schema drift: ${drift}`]]);
      const status = (await readStatus(db.knex)).find((row) => row.dataset === 'crimes');
      expect(status?.state?.schema_drift).toBe(drift);
    } finally {
      await db.close();
    }
  });

  it('refuses an unknown dataset with one line and exit 1', async () => {
    const result = await lakefront('check', 'crimez');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lakefront: unknown dataset "crimez"/);
  });
});
