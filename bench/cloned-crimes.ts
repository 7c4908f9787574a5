import { readFileSync } from 'node:fs';
import type { Row } from '../testing/soql.js';

/** The bundled real crimes sample (6,957 rows from the portal's export, SODA JSON). */
const SAMPLE = JSON.parse(readFileSync(new URL('../core/datasets/samples/ijzp-q8t2.json', import.meta.url), 'utf8')) as Row[];

export const CRIMES_PORTAL_ID = 'ijzp-q8t2';

/**
 * Row `index` of a benchmark portal: a real sample row with a new `id`, `:id` and `:updated_at`
 * (groups of 100 rows share an `:updated_at`, like the portal's nightly loads).
 */
export function clonedCrime(index: number): Row {
  const base = SAMPLE[index % SAMPLE.length]!;
  const updatedAt = new Date(Date.UTC(2024, 0, 1) + Math.floor(index / 100) * 1000 + (index % 7)).toISOString();
  return {
    ...base,
    ':id': `row-b${index.toString(36).padStart(8, '0')}`,
    ':created_at': updatedAt,
    ':updated_at': updatedAt,
    id: String(20_000_000 + index),
  };
}

export function* clonedCrimes(count: number): Generator<Row> {
  for (let index = 0; index < count; index += 1) yield clonedCrime(index);
}
