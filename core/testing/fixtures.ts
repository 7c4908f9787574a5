import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Real portal rows bundled with the product (`npm start` loads them); tests read the same files. */
const SAMPLES = fileURLToPath(new URL('../datasets/samples/', import.meta.url));
/** Test-only copies of real portal data: each dataset's column metadata, and rows not (yet) bundled. See its README. */
const TEST_FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function rowsFile(portalId: string): string | undefined {
  return [`${SAMPLES}${portalId}.json`, `${TEST_FIXTURES}${portalId}.json`].find((file) => existsSync(file));
}

export function hasSodaFixture(portalId: string): boolean {
  return rowsFile(portalId) !== undefined && existsSync(`${TEST_FIXTURES}${portalId}.meta.json`);
}

export function readSodaFixture(portalId: string): Record<string, unknown>[] {
  const file = rowsFile(portalId);
  if (!file) throw new Error(`no real rows for portal id ${portalId} in core/datasets/samples or core/testing/fixtures`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
}

/** The portal's column metadata for a dataset (`GET /api/views/{id}.json`, data columns only). */
export function readSodaFixtureMeta(portalId: string): { columns: { fieldName: string; dataTypeName: string }[] } {
  return JSON.parse(readFileSync(`${TEST_FIXTURES}${portalId}.meta.json`, 'utf8')) as { columns: { fieldName: string; dataTypeName: string }[] };
}
