import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase, databaseUrlOf } from '../../core/testing/test-database.js';
import { runCli, type CliRun } from '../../server/test/support/cli-process.js';

/**
 * README.md's examples cannot rot: every `curl` command and the TypeScript example run against
 * `lakefront start` (what `npm start` runs) on an empty database, and what each prints must match
 * the output block the README shows under it (`…` stands for anything, a whole line of `…` for
 * any number of lines).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(path.join(root, 'README.md'), 'utf8');
const run = promisify(execFile);

interface Block {
  readonly lang: string;
  readonly text: string;
}

function fencedBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({ lang: match[1]!, text: match[2]! }));
}

/** Each example: a `sh` block of one curl command, or a `ts` block, followed by the `text` block of its output. */
function examples(): { kind: 'curl' | 'ts'; code: string; shown: string }[] {
  const blocks = fencedBlocks(README);
  return blocks.flatMap((block, index) => {
    const next = blocks[index + 1];
    const kind = block.lang === 'ts' ? 'ts' : block.lang === 'sh' && block.text.startsWith('curl ') ? 'curl' : undefined;
    if (!kind || next?.lang !== 'text') return [];
    return [{ kind, code: block.text.trim(), shown: next.text }];
  });
}

/** Whether `actual` has the lines `shown` shows: `…` inside a line is any text, a line `…` any number of lines. */
export function matchesShown(actual: string, shown: string): boolean {
  const want = shown.replace(/\n$/, '').split('\n');
  const have = actual.replace(/\r/g, '').replace(/\n$/, '').split('\n');
  const patterns = want.map((line) => (line === '…' ? null : new RegExp(`^${line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)));
  const memo = new Map<string, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    if (memo.has(key)) return memo.get(key)!;
    let result: boolean;
    if (i === patterns.length) result = j === have.length;
    else if (patterns[i] === null) result = match(i + 1, j) || (j < have.length && match(i, j + 1));
    else result = j < have.length && patterns[i]!.test(have[j]!) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

let serverDb: Database | undefined;
let dataDir: string | undefined;
let lakefront: CliRun;
let baseUrl: string;

beforeAll(async () => {
  if (process.env.DATABASE_URL) serverDb = await createTestDatabase({ migrate: false });
  else dataDir = mkdtempSync(path.join(tmpdir(), 'lakefront-readme-'));
  const database = serverDb ? { DATABASE_URL: databaseUrlOf(serverDb) } : { DATABASE_URL: '', LAKEFRONT_DATA_DIR: dataDir };
  lakefront = runCli(['start', '--port', '0', '--sync-every', 'off'], { ...database, LOG_LEVEL: 'info', LOG_FORMAT: 'json', LAKEFRONT_RATE_LIMIT: '0' });
  const listening = await lakefront.waitFor(/Lakefront is listening/, 280_000);
  baseUrl = (JSON.parse(listening) as { url: string }).url.replace('localhost', '127.0.0.1');
}, 300_000);
afterAll(async () => {
  if (lakefront) {
    lakefront.child.kill('SIGTERM');
    await lakefront.exited;
  }
  await serverDb?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('README.md', () => {
  it('shows an output under every curl command it gives', () => {
    const curls = fencedBlocks(README)
      .filter((block) => block.lang === 'sh')
      .flatMap((block) => block.text.split('\n').filter((line) => line.startsWith('curl ')));
    expect(curls.length).toBeGreaterThanOrEqual(8);
    expect(examples().filter((example) => example.kind === 'curl')).toHaveLength(curls.length);
  });

  it('prints what it shows, for every example', async () => {
    const all = examples();
    expect(all.some((example) => example.kind === 'ts')).toBe(true);
    const mismatches: string[] = [];
    for (const { kind, code, shown } of all) {
      const local = code.replaceAll('http://localhost:3000', baseUrl);
      let stdout: string;
      if (kind === 'curl') {
        ({ stdout } = await run('sh', ['-c', local], { maxBuffer: 16 * 1024 * 1024 }));
      } else {
        // Inside the repository, so `@lakefront/sdk` resolves to the workspace package as it does for a user.
        const file = path.join(root, `.readme-example-${process.pid}.ts`);
        writeFileSync(file, local);
        try {
          ({ stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: root }));
        } finally {
          rmSync(file, { force: true });
        }
      }
      if (!matchesShown(stdout, shown)) mismatches.push(`${code}\n--- printed:\n${stdout.slice(0, 3000)}\n--- README shows:\n${shown}`);
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('reads "…" as the README means it', () => {
    expect(matchesShown('a\nb\nc\n', 'a\n…\nc\n')).toBe(true);
    expect(matchesShown('a\nb\nc\n', 'a\nc\n')).toBe(false);
    expect(matchesShown('{"x":1,"y":2}', '{"x":…}')).toBe(true);
    expect(matchesShown('{"x":1}', '{"x":2}')).toBe(false);
  });
});
