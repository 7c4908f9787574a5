import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Examples import the SDK by its package name; in this repo that is its source (as tsconfig `paths` says).
  resolve: { alias: { '@lakefront/sdk': fileURLToPath(new URL('./sdk/src/index.ts', import.meta.url)) } },
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files share their worker process (one on 2 cores): each file in a process of its own
    // paid about 4 s of starting, importing and compiling PGlite's WebAssembly, 82 times. Every
    // file makes its own database and servers; what a process counts since it started (the sync
    // engine's metrics) is read as a difference.
    isolate: false,
    // On PGlite, every test file's database starts from one migrated once per run.
    globalSetup: ['./core/testing/pglite-template.ts'],
  },
});
