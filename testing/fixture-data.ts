import { sourceIdsOf, type DatasetDefinition } from '../core/datasets/index.js';
import { hasSodaFixture, readSodaFixture, readSodaFixtureMeta } from '../core/testing/fixtures.js';
import type { SodaStore } from './soda-store.js';
import type { SodaType } from './soql.js';
import { sodaTypesOf, syntheticRows } from './synthetic-rows.js';

export { hasSodaFixture };

/**
 * Fills a test portal for datasets (tests only): a portal id with real rows in the repository
 * (`core/datasets/samples/`, `core/testing/fixtures/`) serves those rows, any other gets synthetic rows.
 */
export function serveDatasets(store: SodaStore, datasets: readonly DatasetDefinition[], syntheticCount = 300): void {
  for (const dataset of datasets) {
    sourceIdsOf(dataset).forEach((portalId, index) => {
      if (hasSodaFixture(portalId)) serveFixture(store, portalId);
      else store.define(portalId, sodaTypesOf(dataset), syntheticRows(dataset, { count: syntheticCount, keyOffset: index * 1_000_000, seed: index + 1 }));
    });
  }
}

/** Serves a real sample (or its first `rows` rows) under its portal id, typed by its `.meta.json`. */
export function serveFixture(store: SodaStore, portalId: string, options: { rows?: number } = {}): void {
  const meta = readSodaFixtureMeta(portalId);
  const types = Object.fromEntries(meta.columns.map((column) => [column.fieldName, column.dataTypeName as SodaType]));
  const rows = readSodaFixture(portalId);
  store.define(portalId, types, options.rows === undefined ? rows : rows.slice(0, options.rows));
}
