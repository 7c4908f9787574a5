/*
 * Bundles the explorer (explorer/src, the SDK's source, Preact, htm, d3-geo) into
 * explorer/dist/app.js and app.css, served by Lakefront at /explore. Run by `npm run
 * build:explorer`, by `prestart`, and by the browser test; the output is not committed, because
 * every change to the spec or the SDK would change it.
 */
import { build } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const EXPLORER_DIST = here('./dist/');

export interface BundleSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export async function buildExplorer(): Promise<BundleSize[]> {
  await build({
    entryPoints: { app: here('./src/main.ts') },
    outdir: EXPLORER_DIST,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    legalComments: 'none',
    // The SDK as this repository has it (its source), exactly as the tests and examples use it.
    alias: { '@lakefront/sdk': here('../sdk/src/index.ts') },
    logLevel: 'warning',
  });
  return ['app.js', 'app.css'].map((file) => {
    const path = `${EXPLORER_DIST}${file}`;
    return { file, bytes: statSync(path).size, gzipBytes: gzipSync(readFileSync(path)).length };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await buildExplorer();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  console.log(`explorer bundle: ${sizes.map((size) => `${size.file} ${kb(size.bytes)} (${kb(size.gzipBytes)} gzip)`).join(', ')}`);
}
