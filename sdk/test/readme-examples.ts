import { execFile } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/*
 * The SDK README's examples as programs: every ```ts block, each with the ```text block after it
 * (its expected output). They run from a scratch folder whose tsconfig extends the repository's,
 * so `@lakefront/sdk` is the SDK's source, as the repository's own code sees it.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');

export interface ReadmeExample {
  /** 1-based line of the block in the README. */
  line: number;
  code: string;
  /** The output shown after it, or undefined when none is. */
  expected: string | undefined;
}

export function readmeExamples(markdown: string): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  const blocks = [...markdown.matchAll(fence)].map((match) => ({
    lang: match[1]!,
    body: match[2]!,
    start: match.index,
    end: match.index + match[0].length,
    line: markdown.slice(0, match.index).split('\n').length,
  }));
  blocks.forEach((block, index) => {
    if (block.lang !== 'ts') return;
    const next = blocks[index + 1];
    const adjacent = next?.lang === 'text' && markdown.slice(block.end, next.start).trim() === '';
    examples.push({ line: block.line, code: block.body, expected: adjacent ? next.body : undefined });
  });
  return examples;
}

export interface ExampleRunner {
  dir: string;
  /** Typechecks every example at once (the repository's tsconfig: strict); answers tsc's output, empty when clean. */
  typecheck(): Promise<string>;
  /** Runs example `index` against the server; answers its stdout. */
  run(index: number): Promise<string>;
}

export async function prepareExamples(examples: readonly ReadmeExample[], serverUrl: string): Promise<ExampleRunner> {
  const dir = await mkdtemp(join(tmpdir(), 'lakefront-readme-'));
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: join(root, 'tsconfig.json'), compilerOptions: { noEmit: true, noUnusedLocals: false }, include: ['*.ts'], exclude: [] }),
  );
  const file = (index: number) => join(dir, `example-${index + 1}.ts`);
  // The README's server is the one `npm start` runs; the test's is on a free port.
  await Promise.all(examples.map((example, index) => writeFile(file(index), example.code.replaceAll('http://localhost:3000', serverUrl))));
  return {
    dir,
    typecheck: () =>
      run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
        ({ stdout }) => stdout,
        (error: { stdout: string }) => error.stdout,
      ),
    run: async (index) =>
      (await run(process.execPath, ['--import', 'tsx', file(index)], { cwd: dir, env: { ...process.env, TSX_TSCONFIG_PATH: join(dir, 'tsconfig.json') }, timeout: 60_000 })).stdout,
  };
}
