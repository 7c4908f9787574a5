import { existsSync, readFileSync } from 'node:fs';
import { sourceIdsOf, type DatasetDefinition } from '../../core/datasets/index.js';
import { readSodaFixture, SHARED_FIXTURES } from '../../core/testing/fixtures.js';
import type { SodaStore } from './soda-store.js';
import type { SodaType } from './soql.js';
import { sodaTypesOf, syntheticRows } from './synthetic-rows.js';

/**
 * Fills a test portal for datasets (tests only: reads the shared fixtures): a portal id with a
 * real sample in `../shared/fixtures/socrata/` serves those rows, any other gets synthetic rows.
 */
export function serveDatasets(store: SodaStore, datasets: readonly DatasetDefinition[], syntheticCount = 300): void {
  for (const dataset of datasets) {
    sourceIdsOf(dataset).forEach((portalId, index) => {
      if (hasSodaFixture(portalId)) serveFixture(store, portalId);
      else store.define(portalId, sodaTypesOf(dataset), syntheticRows(dataset, { count: syntheticCount, keyOffset: index * 1_000_000, seed: index + 1 }));
    });
  }
}

export function hasSodaFixture(portalId: string): boolean {
  return existsSync(`${SHARED_FIXTURES}socrata/${portalId}.json`);
}

/** Serves a real sample (or its first `rows` rows) under its portal id, typed by its `.meta.json`. */
export function serveFixture(store: SodaStore, portalId: string, options: { rows?: number } = {}): void {
  const meta = JSON.parse(readFileSync(`${SHARED_FIXTURES}socrata/${portalId}.meta.json`, 'utf8')) as {
    columns: { fieldName: string; dataTypeName: SodaType }[];
  };
  const types = Object.fromEntries(meta.columns.map((column) => [column.fieldName, column.dataTypeName]));
  const rows = readSodaFixture(portalId);
  store.define(portalId, types, options.rows === undefined ? rows : rows.slice(0, options.rows));
}
