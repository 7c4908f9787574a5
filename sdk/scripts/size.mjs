// Size budget: the SDK bundled and minified as an app would ship it, for two apps: one that uses
// the whole client (`createLakefront`: every dataset and report) and one that builds a single
// dataset (`createLakefrontClient` + `dataset(client, listCrimes)`). Prints both; exits 1 when the
// whole client is over 10 kB gzipped, when the one-dataset bundle carries another dataset, or when
// `createLakefront` carries a generated operation (it runs on the paths alone).
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_BYTES = 10 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;

export async function bundleSize(contents) {
  const result = await build({
    stdin: { contents, resolveDir: dist, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
  });
  const code = result.outputFiles[0].contents;
  return { text: new TextDecoder().decode(code), minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

export const APPS = {
  'every dataset (createLakefront)': `import { createLakefront } from './index.js'; export const lf = createLakefront({ baseUrl: '/' });`,
  'one dataset (dataset(client, listCrimes))': `import { createLakefrontClient, dataset } from './index.js'; import { listCrimes } from './operations.js';
export const crimes = dataset(createLakefrontClient({ baseUrl: '/' }), listCrimes);`,
};

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
  const sizes = {};
  for (const [name, contents] of Object.entries(APPS)) {
    sizes[name] = await bundleSize(contents);
    console.log(`@lakefront/sdk, ${name}: ${kb(sizes[name].minified)} minified, ${kb(sizes[name].gzipped)} gzipped`);
  }
  const [all, one] = Object.values(sizes);
  console.log(`budget for the whole client: ${kb(BUDGET_BYTES)} gzipped`);
  if (all.gzipped >= BUDGET_BYTES) {
    console.error('over the size budget');
    process.exit(1);
  }
  if (one.text.includes('/v1/taxi-trips') || !one.text.includes('/v1/crimes')) {
    console.error('the one-dataset bundle is not tree-shaken: it carries /v1/taxi-trips');
    process.exit(1);
  }
  if (all.text.includes('primary_type')) {
    console.error('createLakefront carries generated operations (their serializers name primary_type)');
    process.exit(1);
  }
}
