import type { Knex } from 'knex';

/**
 * Moves the data version of `datasets` on (table `lakefront.data_version`). The API's ETags and
 * Last-Modified are keyed on it, so every writer that changed what the API serves calls this once
 * it has: the sync (rows read or deleted), the geo enrichment (rows whose geo columns changed),
 * the sample loader (rows inserted or changed), and the report rollup refresh (`bumpRollupsVersion`).
 * A writer that changed nothing does not call it, so a reload that changes nothing keeps every ETag.
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

/**
 * After a refresh of the report rollups fed by `datasets`: moves each one's rollups version
 * (`rollupsVersionKey`) only if the refresh can have changed them, that is when the dataset's own
 * version moved since the rollups' last did (both come from one sequence), or on the first
 * refresh. A rollup is a function of its dataset's rows, so a refresh with no write in between
 * (a periodic refresh, a restart, a second `serve`) rewrites the same contents and keeps every
 * report ETag.
 */
export async function bumpRollupsVersion(knex: Knex, datasets: readonly string[]): Promise<void> {
  const keys = [...new Set(datasets)];
  if (!keys.length) return;
  await knex.raw(
    `INSERT INTO lakefront.data_version (dataset, version, changed_at)
     SELECT 'rollups:' || source.key, nextval('lakefront.data_version_seq'), now()
     FROM unnest(?::text[]) AS source(key)
     LEFT JOIN lakefront.data_version rows ON rows.dataset = source.key
     LEFT JOIN lakefront.data_version rollups ON rollups.dataset = 'rollups:' || source.key
     WHERE rollups.version IS NULL OR rollups.version < rows.version
     ON CONFLICT (dataset) DO UPDATE SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at`,
    [keys],
  );
}
