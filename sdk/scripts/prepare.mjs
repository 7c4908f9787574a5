// `prepare` (npm runs it on `npm ci` at the root, on a path install and on `npm pack`): builds dist/, so that
// `npm install /path/to/lakefront/sdk` gives an importable package. The compiler comes from the
// repository's own install (`npm ci` at its root); without it, say so in one line.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error('@lakefront/sdk: cannot build dist/ without TypeScript; run `npm ci` at the root of the Lakefront repository first.');
  process.exit(1);
}
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
