import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The read-only fixtures shared with the project (tests only; the product never reads them). */
export const SHARED_FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));

export function readSodaFixture(portalId: string): Record<string, unknown>[] {
  return JSON.parse(readFileSync(`${SHARED_FIXTURES}socrata/${portalId}.json`, 'utf8')) as Record<string, unknown>[];
}
