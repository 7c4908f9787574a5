/** Just enough Dockerfile and .dockerignore reading for the image test (no Docker engine here). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** Index of the build stage (FROM) the instruction belongs to. */
  readonly stage: number;
}

/** Instructions in order, continuation lines joined, comments dropped, `ARG` defaults substituted in FROM. */
export function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  const globalArgs = new Map<string, string>();
  const instructions: Instruction[] = [];
  let stage = -1;
  for (const line of logical) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    let args = rest;
    if (upper === 'ARG' && stage < 0) {
      const [name, value] = rest.split('=');
      if (name && value !== undefined) globalArgs.set(name.trim(), value.trim());
    }
    if (upper === 'FROM') {
      stage += 1;
      args = rest.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => globalArgs.get((braced ?? bare)!) ?? match);
    }
    instructions.push({ keyword: upper, args, stage });
  }
  return instructions;
}

/** Whether `.dockerignore` keeps `file` (a path relative to the context) out of the build context. */
export function isDockerIgnored(file: string, patterns: readonly string[]): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const regex = new RegExp(
      `^${pattern
        .split(/(\*\*\/|\*|\?)/)
        .map((part) => (part === '**/' ? '(?:.*/)?' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('')}(?:/.*)?$`,
    );
    if (regex.test(file)) ignored = !negated;
  }
  return ignored;
}

export function readDockerignore(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * Every source file reachable from `entry` through relative imports (static and literal dynamic),
 * as paths relative to `root`. `.js` specifiers resolve to the `.ts` file, as tsx does.
 */
export function reachableSources(root: string, entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [path.resolve(root, entry)];
  while (queue.length) {
    const file = queue.pop()!;
    const relative = path.relative(root, file);
    if (seen.has(relative)) continue;
    seen.add(relative);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      let target = path.resolve(path.dirname(file), match[1]!);
      if (!existsSync(target) && target.endsWith('.js')) target = `${target.slice(0, -3)}.ts`;
      if (!existsSync(target)) throw new Error(`${relative} imports ${match[1]}, which does not exist`);
      queue.push(target);
    }
  }
  return seen;
}
