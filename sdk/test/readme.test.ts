import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveServer } from '../../server/test/helpers.js';
import { startSampleServer } from './live-server.js';
import { prepareExamples, readmeExamples, type ExampleRunner } from './readme-examples.js';

/*
 * Examples that cannot rot: every ```ts block of sdk/README.md is typechecked and run against a
 * server holding the bundled samples (what `npm start` serves), and prints exactly the ```text
 * block shown under it.
 */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = readmeExamples(readme);
let server: LiveServer;
let runner: ExampleRunner;

beforeAll(async () => {
  server = await startSampleServer();
  runner = await prepareExamples(examples, server.url);
});
afterAll(async () => {
  await server?.stop();
  if (runner) await rm(runner.dir, { recursive: true, force: true });
});

it('has examples, each with the output it prints', () => {
  expect(examples.length).toBeGreaterThanOrEqual(10);
  expect(examples.filter((example) => example.expected === undefined).map((example) => `line ${example.line}`)).toEqual([]);
});

it('typechecks every example under the repository\'s strict tsconfig', async () => {
  expect(await runner.typecheck()).toBe('');
});

describe.each(examples.map((example, index) => ({ ...example, index })))('the example at line $line', ({ index, expected }) => {
  it('prints what the README shows', async () => {
    expect((await runner.run(index)).trimEnd()).toBe(expected!.trimEnd());
  });
});
