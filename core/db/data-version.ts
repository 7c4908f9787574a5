import type { Knex } from 'knex';

/**
 * Moves the data version of `datasets` on (table `lakefront.data_version`). The API's ETags and
 * Last-Modified are keyed on it, so every writer that changed what the API serves calls this once
 * it has: the sync (rows read or deleted), the geo enrichment (rows whose geo columns changed),
 * the sample loader, and the report rollup refresh (`rollupsVersionKey`). A writer that changed
 * nothing does not call it, so a reload that changes nothing keeps every ETag.
 */
export async function bumpDataVersion(knex: Knex, datasets: readonly string[]): Promise<void> {
  const keys = [...new Set(datasets)];
  if (!keys.length) return;
  await knex.raw(
    `INSERT INTO lakefront.data_version (dataset, version, changed_at)
     SELECT key, nextval('lakefront.data_version_seq'), now() FROM unnest(?::text[]) AS key
     ON CONFLICT (dataset) DO UPDATE SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at`,
    [keys],
  );
}

/** The version key of the report rollups fed by a dataset: reports depend on it as well as on the rows. */
export function rollupsVersionKey(dataset: string): string {
  return `rollups:${dataset}`;
}
