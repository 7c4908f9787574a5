// The image cannot be built here (no Docker engine), so the Dockerfile is read and held to the rules
// a build would otherwise reveal late: pinned base, production dependencies only, non-root, a
// health check, the CLI as entrypoint, and every file the CLI loads inside the build context.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server/test/helpers.js';
import { isDockerIgnored, parseDockerfile, reachableSources, readDockerignore, type Instruction } from './dockerfile.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const instructions = parseDockerfile(readFileSync(`${ROOT}Dockerfile`, 'utf8'));
const ignorePatterns = readDockerignore(`${ROOT}.dockerignore`);
const finalStage = Math.max(...instructions.map((instruction) => instruction.stage));
const runtime = instructions.filter((instruction) => instruction.stage === finalStage);
const packageJson = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string } };

const jsonArgs = (instruction: Instruction | undefined) => JSON.parse(instruction?.args ?? 'null') as unknown;
const copySources = (instruction: Instruction) => {
  const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
  return words.slice(0, -1);
};

describe('Dockerfile', () => {
  it('builds in several stages from one Node image pinned to an exact version that package.json accepts', () => {
    const bases = instructions.filter((instruction) => instruction.keyword === 'FROM').map((from) => from.args.split(/\s+/)[0]!);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+(-slim)?$/);
    const [major, minor] = /^node:(\d+)\.(\d+)/.exec(bases[0]!)!.slice(1).map(Number);
    const [, wantMajor, wantMinor] = /^>=(\d+)\.(\d+)/.exec(packageJson.engines.node)!.map(Number);
    expect(major! > wantMajor! || (major === wantMajor && minor! >= wantMinor!)).toBe(true);
  });

  it('installs with `npm ci --omit=dev` and never with `npm install`', () => {
    const runs = instructions.filter((instruction) => instruction.keyword === 'RUN').map((run) => run.args);
    expect(runs.some((run) => /\bnpm ci\b.*--omit=dev/.test(run))).toBe(true);
    expect(runs.some((run) => /\bnpm (install|i)\b/.test(run))).toBe(false);
  });

  it('runs as a non-root user in the final stage', () => {
    const users = runtime.filter((instruction) => instruction.keyword === 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.args.split(':')[0]!;
    expect(['root', '0']).not.toContain(user);
    // Nothing runs after USER as root again.
    expect(runtime.indexOf(users.at(-1)!)).toBeGreaterThan(Math.max(...runtime.map((item, index) => (item.keyword === 'RUN' ? index : -1))));
  });

  it('has a HEALTHCHECK that asks /healthz with Node itself (no curl in the image)', () => {
    const healthcheck = runtime.find((instruction) => instruction.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/CMD \["node",/);
    expect(healthcheck?.args).toContain('/healthz');
  });

  it('has a HEALTHCHECK command that passes against a running Lakefront and fails when nothing answers', async () => {
    const healthcheck = runtime.find((instruction) => instruction.keyword === 'HEALTHCHECK')!;
    const [executable, ...args] = JSON.parse(/CMD (\[.*\])$/.exec(healthcheck.args)![1]!) as string[];
    expect(executable).toBe('node');
    const check = (port: number) =>
      promisify(execFile)(process.execPath, args, { env: { ...process.env, PORT: String(port) } }).then(() => 0, (error: { code: number }) => error.code);
    const server = await startServer();
    const port = server.port;
    try {
      expect(await check(port)).toBe(0);
    } finally {
      await server.stop();
    }
    expect(await check(port)).toBe(1);
  });

  it('starts the lakefront CLI, serving by default', () => {
    expect(jsonArgs(runtime.find((instruction) => instruction.keyword === 'ENTRYPOINT'))).toEqual(['node', 'cli/bin.js']);
    expect(jsonArgs(runtime.find((instruction) => instruction.keyword === 'CMD'))).toEqual(['serve']);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const copies = instructions.filter((instruction) => instruction.keyword === 'COPY' && !instruction.args.includes('--from='));
    for (const source of copies.flatMap(copySources)) {
      expect(existsSync(`${ROOT}${source}`), source).toBe(true);
      expect(isDockerIgnored(source, ignorePatterns), `${source} is excluded by .dockerignore`).toBe(false);
    }
  });

  it('ships every file the CLI loads, and no tests, node_modules or local data', () => {
    const copied = runtime
      .filter((instruction) => instruction.keyword === 'COPY' && !instruction.args.includes('--from='))
      .flatMap(copySources);
    const inImage = (file: string) =>
      !isDockerIgnored(file, ignorePatterns) && copied.some((source) => file === source || file.startsWith(`${source}/`));
    // Loaded by import, plus what is read from disk at run time: migrations, the spec, the samples.
    const needed = [
      ...reachableSources(ROOT, 'cli/bin.js'),
      'migrations/202611270700-lakefront-schemas.ts',
      'openapi/lakefront.yaml',
      'core/datasets/samples/ijzp-q8t2.json',
    ];
    expect(needed.length).toBeGreaterThan(20);
    expect(needed.filter((file) => !inImage(file))).toEqual([]);
    for (const excluded of ['node_modules/x', '.lakefront/pgdata', '.git/HEAD', 'server/test/app.test.ts', 'bench/x.ts']) {
      expect(isDockerIgnored(excluded, ignorePatterns), excluded).toBe(true);
    }
  });
});
