import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/*
 * The browser story: the SDK bundled and minified as an app ships it (esbuild, platform neutral).
 * An app that builds one dataset with `dataset(client, listCrimes)` must not carry the others, and
 * `createLakefront` carries no generated operation (it runs on paths: a dataset costs it a path);
 * `npm run -w @lakefront/sdk check` prints the same two sizes from dist.
 */
const src = fileURLToPath(new URL('../src/', import.meta.url));

async function bundle(contents: string): Promise<{ text: string; gzipped: number }> {
  const result = await build({ stdin: { contents, resolveDir: src, loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'neutral', write: false });
  const code = result.outputFiles[0]!.contents;
  return { text: new TextDecoder().decode(code), gzipped: gzipSync(code, { level: 9 }).length };
}

describe('tree-shaking', () => {
  it('a bundle of one dataset carries that dataset only, and is smaller than the whole client', async () => {
    const one = await bundle(`import { createLakefrontClient, dataset } from './index.js'; import { listCrimes } from './operations.js';
export const crimes = dataset(createLakefrontClient({ baseUrl: '/' }), listCrimes);`);
    const all = await bundle(`import { createLakefront } from './index.js'; export const lf = createLakefront({ baseUrl: '/' });`);
    expect(one.text).toContain('/v1/crimes');
    for (const other of ['/v1/taxi-trips', '/v1/service-requests', '/v1/reports/crimes/by-zip']) {
      expect(one.text).not.toContain(other);
      expect(all.text).toContain(other);
    }
    expect(one.gzipped).toBeLessThan(all.gzipped);
    expect(all.gzipped).toBeLessThan(10 * 1024);
  });

  it('createLakefront carries the paths of the datasets, not their generated operations', async () => {
    const one = await bundle(`import { createLakefrontClient, dataset } from './index.js'; import { listCrimes } from './operations.js';
export const crimes = dataset(createLakefrontClient({ baseUrl: '/' }), listCrimes);`);
    const all = await bundle(`import { createLakefront } from './index.js'; export const lf = createLakefront({ baseUrl: '/' });`);
    // A generated operation brings its serializer's parameter names (`primary_type` for listCrimes).
    expect(one.text).toContain('primary_type');
    for (const parameter of ['primary_type', 'group_by', 'geo_community_area']) expect(all.text).not.toContain(parameter);
    // Every dataset, aggregate, report and boundary set of the whole client costs it a path and
    // the few bytes that name it: well under what the transport they share weighs.
    expect(all.gzipped - one.gzipped).toBeLessThan(one.gzipped / 4);
  });

  it('nothing Node-only gets into a browser bundle', async () => {
    const all = await bundle(`export * from './index.js';`);
    expect(all.text).not.toMatch(/node:|require\(/);
  });
});
