// Size budget: the facade and the generated client, bundled and minified as an app would ship
// them, must stay under 10 kB gzipped. Prints the figure; exits 1 over budget.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_BYTES = 10 * 1024;
const entry = new URL('../dist/index.js', import.meta.url).pathname;

const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'neutral', write: false });
const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
console.log(`@lakefront/sdk bundle: ${kb(code.length)} minified, ${kb(gzipped)} gzipped (budget ${kb(BUDGET_BYTES)})`);
if (gzipped >= BUDGET_BYTES) {
  console.error('over the size budget');
  process.exit(1);
}
