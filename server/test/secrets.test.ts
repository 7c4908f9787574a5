import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { runCli } from './support/cli-process.js';
import { onPostgres } from './support/guarded-server.js';

/**
 * Whole runs of the real CLI, with a database password and a portal app token set, through the
 * error paths where secrets tend to leak (a refused connection, a failed login, a portal that
 * errors and throttles). Every byte they print is collected and searched for either secret.
 */
const PASSWORD = 'pw-SECRET-7x9q';
const TOKEN = 'tok-SECRET-4k2m';

const transcript: string[] = [];
let portal: SodaTestServer;
let db: Database | undefined;
let dataDir: string | undefined;

/** The test database's URL with the password in it (local PostgreSQL trusts, so it still connects). */
function urlWithPassword(): string {
  const url = new URL(databaseUrlOf(db!)!);
  url.password = PASSWORD;
  return url.toString();
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const cli = runCli(args, { LOG_LEVEL: 'debug', SOCRATA_APP_TOKEN: TOKEN, LAKEFRONT_SOCRATA_URL: portal.url, ...env });
  const { code } = await cli.exited;
  transcript.push(`$ lakefront ${args.join(' ')}\n${cli.output()}`);
  return { code, output: cli.output() };
}

beforeAll(async () => {
  portal = await startSodaServer({ faults: { probability: 0.3, seed: 11, kinds: ['429', '500'], retryAfterSeconds: 0 } });
  serveFixture(portal.store, 'ijzp-q8t2', { rows: 600 });
  if (onPostgres) db = await createTestDatabase({ migrate: false });
  else dataDir = mkdtempSync(path.join(tmpdir(), 'lakefront-secrets-'));
});
afterAll(async () => {
  await portal?.close();
  await db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function databaseEnv(): NodeJS.ProcessEnv {
  return db ? { DATABASE_URL: urlWithPassword() } : { DATABASE_URL: '', LAKEFRONT_DATA_DIR: dataDir };
}

describe('secrets never reach the output of a run', () => {
  it('a database that refuses the connection', async () => {
    const { code, output } = await run(['migrate'], { DATABASE_URL: `postgres://lakefront:${PASSWORD}@127.0.0.1:1/lakefront` });
    expect(code).toBe(1);
    expect(output).toMatch(/ECONNREFUSED|connect/i);
  });

  it.skipIf(!onPostgres)('a login the server rejects', async () => {
    const { code, output } = await run(['migrate'], { DATABASE_URL: `postgres://no_such_role_x:${PASSWORD}@127.0.0.1:5432/postgres` });
    expect(code).toBe(1);
    expect(output).toMatch(/no_such_role_x/);
  });

  it('a sync through a portal that throttles and fails, then one that does not know the dataset', async () => {
    const synced = await run(['sync', 'crimes', '--page-size', '100'], databaseEnv());
    expect(synced.code).toBe(0);
    expect(synced.output).toMatch(/retrying/);
    expect(portal.stats.appTokens).toEqual(new Set([TOKEN]));

    const missing = await run(['sync', 'crimes'], { ...databaseEnv(), LAKEFRONT_SOURCES_CRIMES: 'zzzz-zzzz' });
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/zzzz-zzzz/);
  });

  it.skipIf(!onPostgres)('a server whose API role cannot log in, with requests on error paths, stopped by SIGTERM', async () => {
    const apiUrl = new URL(urlWithPassword());
    apiUrl.username = 'lakefront_api';
    const serve = runCli(['serve', '--port', '0'], { LOG_LEVEL: 'debug', SOCRATA_APP_TOKEN: TOKEN, ...databaseEnv(), API_DATABASE_URL: apiUrl.toString() });
    try {
      const listening = await serve.waitFor(/Lakefront is listening/);
      const url = (JSON.parse(listening) as { url: string }).url.replace('localhost', '127.0.0.1');
      expect((await fetch(`${url}/readyz`)).status).toBe(503);
      expect((await fetch(`${url}/v1/crimes?limit=1`)).status).toBe(503);
      expect((await fetch(`${url}/v1/crimes?limit=0`)).status).toBe(400);
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      serve.child.kill('SIGTERM');
      expect((await serve.exited).code).toBe(0);
      expect(serve.output()).toMatch(/request failed|request errored|503/);
    } finally {
      transcript.push(`$ lakefront serve\n${serve.output()}`);
      serve.child.kill('SIGKILL');
    }
  });

  afterAll(() => {
    const all = transcript.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(TOKEN);
    // The runs did name the database: with the password masked.
    if (onPostgres) expect(all).toContain(':***@127.0.0.1');
  });
});
