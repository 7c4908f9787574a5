import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
/** Packing, installing and three tsc runs take about a minute on a quiet machine: the tests wait for them. */
const PREPARATION_MS = 240_000;
/** Packing, installing and typechecking need no server, so they run while it starts. */
let prepared: Promise<{ files: string[]; typeErrors: string }>;

async function packInstallTypecheck(dir: string): Promise<{ files: string[]; typeErrors: string }> {
  // The root script the README names, as a user runs it.
  await run('npm', ['run', '-s', 'sdk:pack', '--', '--silent', '--pack-destination', dir], { cwd: repoDir });
  const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
  expect(tarball).toMatch(/^lakefront-sdk-.*\.tgz$/);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', `./${tarball}`, '--no-audit', '--no-fund', '--offline', '--ignore-scripts'], { cwd: dir });
  for (const file of ['consumer.ts', 'run.mjs', 'tsconfig.strict.json', 'tsconfig.loose.json', 'type-errors.ts']) {
    await copyFile(join(consumerDir, file), join(dir, file));
  }
  // The mistakes file under the strict options: it must fail, with the errors it names.
  const strict = JSON.parse(await readFile(join(dir, 'tsconfig.strict.json'), 'utf8')) as { compilerOptions: object };
  await writeFile(join(dir, 'tsconfig.errors.json'), JSON.stringify({ compilerOptions: { ...strict.compilerOptions, noEmit: true }, files: ['type-errors.ts'] }));
  const [typeErrors] = await Promise.all([
    run(process.execPath, [tsc, '-p', 'tsconfig.errors.json', '--pretty', 'false'], { cwd: dir }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    ),
    ...['tsconfig.loose.json', 'tsconfig.strict.json'].map((config) => run(process.execPath, [tsc, '-p', config], { cwd: dir })),
  ]);
  return { files: (await readdir(join(dir, 'node_modules/@lakefront/sdk'))).sort(), typeErrors };
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
    notModified: 304,
  });
}, PREPARATION_MS);

it('answers a developer\'s mistakes with readable type errors: the SDK\'s public names, never its machinery', async () => {
  const { typeErrors } = await prepared;
  const source = await readFile(join(consumerDir, 'type-errors.ts'), 'utf8');
  const expected = new Map<number, string>();
  source.split('\n').forEach((line, index) => {
    const marker = line.indexOf('// error: ');
    if (marker !== -1) expected.set(index + 1, line.slice(marker + '// error: '.length));
  });
  expect(expected.size).toBeGreaterThanOrEqual(10);
  // tsc --pretty false: `type-errors.ts(12,34): error TS2353: message`, continuation lines indented.
  const messages = new Map<number, string>();
  let current: number | undefined;
  for (const line of typeErrors.split('\n')) {
    const head = /^type-errors\.ts\((\d+),\d+\): error TS\d+: (.*)$/.exec(line);
    if (head) {
      current = Number(head[1]);
      messages.set(current, `${messages.get(current) ?? ''}${head[2]}\n`);
    } else if (current !== undefined && line.trim()) messages.set(current, `${messages.get(current)}${line.trim()}\n`);
  }
  expect([...messages.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()]);
  for (const [line, text] of expected) expect(messages.get(line), `line ${line}`).toContain(text);
  for (const internal of ['Exactly', 'ThrowOnError', 'Options<', 'WithFields', 'RequestResult', 'never']) expect(typeErrors).not.toContain(internal);
}, PREPARATION_MS);
