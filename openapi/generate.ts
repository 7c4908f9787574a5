// Regenerates everything derived from the dataset definitions and the spec. CI runs this and
// fails on any diff (.ci/run drift_check):
//   1. openapi/lakefront.yaml: openapi/base.yaml plus each dataset's parts (openapi/compose.ts);
//   2. server/src/generated/api.ts (openapi-typescript) and sdk/src/generated (hey-api) from it;
//   3. the dataset maps of the server and the SDK, and the README's dataset table.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from '@hey-api/openapi-ts';
import { datasets } from '../core/datasets/index.js';
import { composeSpec } from './compose.js';
import { DATASET_OPERATIONS } from './datasets/operations.js';
import { readmeWithDatasetTable, sdkDatasetMap, sdkOperationsFile, serverDatasetMap } from './dataset-maps.js';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

writeIfChanged('openapi/lakefront.yaml', composeSpec(readFileSync('openapi/base.yaml', 'utf8'), datasets, DATASET_OPERATIONS));

execFileSync(
  process.execPath,
  ['node_modules/openapi-typescript/bin/cli.js', 'openapi/lakefront.yaml', '--output', 'server/src/generated/api.ts'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

await createClient({
  input: './openapi/lakefront.yaml',
  output: { path: './sdk/src/generated', tsConfigPath: fileURLToPath(new URL('../sdk/tsconfig.json', import.meta.url)), importFileExtension: '.js' },
  // The SDK's facade brings its own transport (sdk/src/transport.ts): the operations take the client per call.
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', { name: '@hey-api/sdk', client: false }],
  logs: { level: 'silent' },
});

// hey-api has just emptied sdk/src/generated: the SDK's map is written after it.
writeIfChanged('server/src/generated/datasets.ts', serverDatasetMap(datasets));
writeIfChanged('sdk/src/generated/datasets.gen.ts', sdkDatasetMap(datasets));
writeIfChanged('sdk/src/generated/operations.gen.ts', sdkOperationsFile(datasets));
// The SDK facade's camelCase parameters, with their JSDoc, from the types hey-api just wrote.
execFileSync(process.execPath, ['sdk/scripts/generate-params.mjs'], { stdio: 'inherit' });
writeIfChanged('README.md', readmeWithDatasetTable(readFileSync('README.md', 'utf8'), datasets));

function writeIfChanged(file: string, text: string): void {
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) writeFileSync(file, text);
}
