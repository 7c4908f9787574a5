import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import type { LiveServer } from '../../server/test/helpers.js';
import { startSampleServer } from './live-server.js';

/*
 * The SDK as a stranger gets it: packed by `npm run sdk:pack`, installed from the tarball into a fresh project,
 * typechecked there under a strict and a loose tsconfig (no skipLibCheck), and run against a live server.
 */
const run = promisify(execFile);
const repoDir = fileURLToPath(new URL('../..', import.meta.url));
const consumerDir = fileURLToPath(new URL('./consumer/', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

let server: LiveServer;
let project: string;
/** Packing, installing and typechecking need no server, so they run while it starts. */
let prepared: Promise<{ files: string[] }>;

async function packInstallTypecheck(dir: string): Promise<{ files: string[] }> {
  // The root script the README names, as a user runs it.
  await run('npm', ['run', '-s', 'sdk:pack', '--', '--silent', '--pack-destination', dir], { cwd: repoDir });
  const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
  expect(tarball).toMatch(/^lakefront-sdk-.*\.tgz$/);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', `./${tarball}`, '--no-audit', '--no-fund', '--offline', '--ignore-scripts'], { cwd: dir });
  for (const file of ['consumer.ts', 'run.mjs', 'tsconfig.strict.json', 'tsconfig.loose.json']) {
    await copyFile(join(consumerDir, file), join(dir, file));
  }
  await Promise.all(['tsconfig.loose.json', 'tsconfig.strict.json'].map((config) => run(process.execPath, [tsc, '-p', config], { cwd: dir })));
  return { files: (await readdir(join(dir, 'node_modules/@lakefront/sdk'))).sort() };
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'lakefront-consumer-'));
  prepared = packInstallTypecheck(project);
  prepared.catch(() => undefined); // reported by the test that awaits it
  // ZIP boundaries too: the snippets filter on `zip`.
  server = await startSampleServer([zipCodes, crimes]);
});
afterAll(async () => {
  await server?.stop();
  await prepared?.catch(() => undefined);
  if (project) await rm(project, { recursive: true, force: true });
});

it('installs from the packed tarball, typechecks strict and loose, and runs against a live server', async () => {
  const { files } = await prepared;
  expect(files).toEqual(['README.md', 'dist', 'package.json']);

  const { stdout } = await run(process.execPath, ['run.mjs', server.url], { cwd: project });
  const report = JSON.parse(stdout);
  expect(report).toMatchObject({ firstPage: 5, badRequest: { status: 400, names: ['limit'], isError: true } });
  expect(report.theftRows).toBeGreaterThan(100);
  expect(report.csvLines).toBe(report.theftRows + 1);
  const narcotics = await server.db.knex('data.crimes').where('primary_type', 'NARCOTICS').where('date', '>=', '2014-03-01').where('date', '<', '2014-03-15').count({ n: '*' });
  expect(Number(narcotics[0]!.n)).toBeGreaterThan(100);
  expect(report.snippets).toEqual({
    unionRows: [2, 2],
    pagedRows: Number(narcotics[0]!.n),
    arrestRows: 3,
    blockRowKeys: ['block', 'id'],
    invalidRequest: true,
    requestId: true,
    queryKeyHead: 'lakefront',
  });
});
