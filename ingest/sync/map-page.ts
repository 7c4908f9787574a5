import type { DatasetDefinition } from '../../core/datasets/index.js';
import type { Logger } from '../../core/log.js';
import { mapSodaRow, type DbValue, type SodaRow } from '../soda-values.js';
import type { RowEnricher } from './hooks.js';

export interface MappedPage {
  readonly rows: Record<string, DbValue>[];
  readonly malformedValues: number;
  readonly rejectedRows: number;
}

/**
 * Turns a page of SODA rows into table rows. A malformed value is logged with the row's key and
 * stored as NULL; the row is kept. A row whose key itself is unusable cannot be stored: it is
 * logged with its portal `:id` and counted. Duplicate keys within the page (the portal does not
 * enforce uniqueness everywhere) keep the last version, which in `:updated_at` order is the newest.
 */
export function mapPage(dataset: DatasetDefinition, sourceId: string, page: readonly SodaRow[], log: Logger, enricher?: RowEnricher): MappedPage {
  const byKey = new Map<string, Record<string, DbValue>>();
  let malformedValues = 0;
  let rejectedRows = 0;
  for (const row of page) {
    const { values, problems } = mapSodaRow(dataset, row, sourceId);
    const keyParts = dataset.primaryKey.map((column) => values[column]);
    const key = keyParts.map(String).join('\u001f');
    if (problems.length) {
      malformedValues += problems.length;
      for (const problem of problems) {
        log.warn({ dataset: dataset.key, source: sourceId, key, row_id: row[':id'] }, `malformed value stored as NULL: ${problem}`);
      }
    }
    if (keyParts.some((part) => part === null)) {
      rejectedRows += 1;
      log.error({ dataset: dataset.key, source: sourceId, row_id: row[':id'] }, `row without a usable primary key (${dataset.primaryKey.join(', ')}) not stored`);
      continue;
    }
    if (dataset.point && enricher) enricher.enrich(dataset, values);
    byKey.delete(key); // re-insert so Map order follows the newest version
    byKey.set(key, values);
  }
  return { rows: [...byKey.values()], malformedValues, rejectedRows };
}
