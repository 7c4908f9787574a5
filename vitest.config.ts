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
    // On PGlite, every test file's database starts from one migrated once per run.
    globalSetup: ['./core/testing/pglite-template.ts'],
  },
});
