// Regenerates everything derived from openapi/lakefront.yaml. CI runs this and fails on any diff.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from '@hey-api/openapi-ts';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

execFileSync(
  process.execPath,
  ['node_modules/openapi-typescript/bin/cli.js', 'openapi/lakefront.yaml', '--output', 'server/src/generated/api.ts'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

await createClient({
  input: './openapi/lakefront.yaml',
  output: { path: './sdk/src/generated', tsConfigPath: fileURLToPath(new URL('../sdk/tsconfig.json', import.meta.url)), importFileExtension: '.js' },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
  logs: { level: 'silent' },
});
