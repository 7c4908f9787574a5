import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { LiveServer } from '../../server/test/helpers.js';
import { startSampleServer } from './live-server.js';

/*
 * The SDK README's path install on a fresh machine: the SDK's sources as a clone has them (no
 * dist/), beside the repository's own node_modules (what `npm ci` at its root leaves), installed
 * into a new project with `npm install <path>`. Its `prepare` script must build dist/.
 */
const run = promisify(execFile);
const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const repoModules = fileURLToPath(new URL('../../node_modules', import.meta.url));

let server: LiveServer;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lakefront-path-install-'));
  server = await startSampleServer([crimes]);
});
afterAll(async () => {
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

it('installs from a path: prepare builds dist, and the package imports and answers', async () => {
  const clone = join(root, 'lakefront');
  await mkdir(join(clone, 'sdk'), { recursive: true });
  for (const entry of ['package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src']) {
    await cp(join(sdkDir, entry), join(clone, 'sdk', entry), { recursive: true });
  }
  await symlink(repoModules, join(clone, 'node_modules'), 'dir');
  expect(await readdir(join(clone, 'sdk'))).not.toContain('dist');

  const app = join(root, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await run('npm', ['install', '../lakefront/sdk', '--no-audit', '--no-fund', '--offline'], { cwd: app });

  const script = `import { createLakefront } from '@lakefront/sdk';
const page = await createLakefront({ baseUrl: process.argv[1] }).crimes.list({ primaryType: 'THEFT', limit: 2 });
console.log(JSON.stringify(page.data.map((row) => row.primary_type)));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, server.url], { cwd: app });
  expect(JSON.parse(stdout)).toEqual(['THEFT', 'THEFT']);
});

it('says in one line what is missing when the repository was not installed first', async () => {
  const bare = join(root, 'bare');
  await mkdir(join(bare, 'sdk'), { recursive: true });
  await cp(join(sdkDir, 'scripts'), join(bare, 'sdk', 'scripts'), { recursive: true });
  const failure = await run(process.execPath, ['scripts/prepare.mjs'], { cwd: join(bare, 'sdk') }).catch((error: { code: number; stderr: string }) => error);
  expect(failure).toMatchObject({ code: 1 });
  expect((failure as { stderr: string }).stderr.trim()).toBe(
    '@lakefront/sdk: cannot build dist/ without TypeScript; run `npm ci` at the root of the Lakefront repository first.',
  );
});
