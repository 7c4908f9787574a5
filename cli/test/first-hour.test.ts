import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../../core/datasets/index.js';
import { connect, type Database } from '../../core/db/connect.js';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { CLI_BIN, runCli } from '../../server/test/support/cli-process.js';

/**
 * A new user's first commands, as real processes: `npm start` (`lakefront start`) on an empty
 * database, `lakefront serve` on one, `status`, `--version`, `sync --help`. PostgreSQL when
 * DATABASE_URL is set (a fresh, empty database), else PGlite in a fresh data directory.
 */
let serverDb: Database | undefined;
let dataDir: string | undefined;

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const database = serverDb ? { DATABASE_URL: databaseUrlOf(serverDb) } : { DATABASE_URL: '', LAKEFRONT_DATA_DIR: dataDir };
  return { LOG_LEVEL: 'info', LOG_FORMAT: '', ...database, ...extra };
}

/** Counts rows with plain SQL, outside the CLI (PGlite: only once the CLI process has exited). */
async function countRows(table: string): Promise<number> {
  const db = serverDb ?? (await connect({ dataDir }));
  try {
    const { rows } = (await db.knex.raw(`SELECT count(*)::int AS n FROM ${table}`)) as { rows: { n: number }[] };
    return rows[0]!.n;
  } finally {
    if (!serverDb) await db.close();
  }
}

async function lakefront(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI_BIN, ...args], { env: { ...process.env, ...env(extraEnv) } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/** Starts `lakefront <command>` and returns its base URL once it listens. */
async function startServer(command: 'serve' | 'start') {
  const run = runCli([command, '--port', '0', '--sync-every', 'off'], env());
  const listening = await run.waitFor(/Lakefront is listening/, 170_000);
  const url = (JSON.parse(listening) as { url: string }).url.replace('localhost', '127.0.0.1');
  const stop = async () => {
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  };
  return { run, url, stop };
}

beforeAll(async () => {
  if (process.env.DATABASE_URL) serverDb = await createTestDatabase({ migrate: false });
  else dataDir = mkdtempSync(path.join(tmpdir(), 'lakefront-first-hour-'));
});
afterAll(async () => {
  await serverDb?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a new user on an empty database', () => {
  it('`lakefront serve` writes no rows and says in one line how to fill them; GET / leads to the explorer', async () => {
    const server = await startServer('serve');
    try {
      const hint = await server.run.waitFor(/no rows/);
      expect(JSON.parse(hint)).toMatchObject({ level: 40, msg: expect.stringMatching(/lakefront load-sample.*lakefront sync/) });
      const page = await (await fetch(`${server.url}/v1/crimes`)).json();
      expect(page).toEqual({ data: [], next_cursor: null });
      const home = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect(home.status).toBe(302);
      expect(home.headers.get('location')).toBe('/explore');
    } finally {
      await server.stop();
    }
    expect(server.run.output().match(/no rows/g)).toHaveLength(1);
    expect(await countRows('data.crimes')).toBe(0);
  }, 240_000);

  it('`npm start` (lakefront start) loads every bundled sample into the empty tables and serves them, reports included', async () => {
    const server = await startServer('start');
    try {
      const crimes = await (await fetch(`${server.url}/v1/crimes?limit=1&count=exact`)).json();
      // The sample's size, from core/datasets/samples/README.md.
      expect(crimes.total).toBe(6957);
      const byZip = await (await fetch(`${server.url}/v1/reports/crimes/by-zip?from=2014-03-01&to=2014-03-02`)).json();
      expect(byZip.data.length).toBeGreaterThan(0);
      // Every dataset, each with as many rows as its sample file holds.
      const listed = (await (await fetch(`${server.url}/v1/datasets`)).json()) as { data: { key: string; row_count: number }[] };
      expect(new Map(listed.data.map((item) => [item.key, item.row_count]))).toEqual(
        new Map(datasets.map((dataset) => [dataset.key, readSodaFixture(dataset.sourceIds[0]!).length])),
      );
      expect(listed.data.every((item) => item.row_count > 0)).toBe(true);
      expect(server.run.output()).not.toMatch(/no rows/);
    } finally {
      await server.stop();
    }
    expect(await countRows('data.crimes')).toBe(6957);
  }, 400_000);

  it('`lakefront status` prints its table and nothing else', async () => {
    const { code, stdout, stderr } = await lakefront(['status']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^dataset\s+source\s+rows\s+last success/);
    expect(lines[1]).toMatch(/^-+\s+-+/);
    expect(lines.find((line) => line.startsWith('crimes '))).toMatch(/^crimes\s+ijzp-q8t2\s+6,957\s+\d{4}-\d{2}-\d{2} /);
    expect(stdout).not.toMatch(/[{}]/);
  }, 120_000);
});

describe('a database that is not there', () => {
  it('refusing connections: one line naming it and DATABASE_URL, no stack', async () => {
    const { code, stdout, stderr } = await lakefront(['status'], { DATABASE_URL: 'postgres://lakefront:s3cret-pw@127.0.0.1:9/lakefront' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'lakefront: cannot reach PostgreSQL at postgres://lakefront:***@127.0.0.1:9/lakefront (connect ECONNREFUSED 127.0.0.1:9): is it running, and is DATABASE_URL right?\n',
    );
  });

  it.skipIf(!process.env.DATABASE_URL)('missing on a running server: one line saying so, no stack', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/lakefront_no_such_database';
    const { code, stderr } = await lakefront(['migrate'], { DATABASE_URL: url.toString() });
    expect(code).toBe(1);
    expect(stderr).toBe(`lakefront: database "lakefront_no_such_database" does not exist at ${url.toString()}: create it (createdb) or fix DATABASE_URL\n`);
  });
});

describe('discoverable from the command line', () => {
  it('`lakefront --version` prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, stdout } = await lakefront(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it('`lakefront sync --help` lists every dataset key', async () => {
    const { code, stdout } = await lakefront(['sync', '--help']);
    expect(code).toBe(0);
    for (const key of ['crimes', 'service-requests', 'business-licenses', 'traffic-crashes', 'taxi-trips', 'rideshare-trips', 'cta-station-entries', 'cta-stops', 'population', 'zip-codes', 'community-areas']) {
      expect(stdout).toMatch(new RegExp(`\\b${key}\\b`));
    }
  });
});
