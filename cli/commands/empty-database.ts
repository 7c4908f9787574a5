import { datasets } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import type { Logger } from '../../core/log.js';

/**
 * `serve` never fills tables itself. When every dataset is empty it says, in one line, how to
 * fill them, rather than serving empty pages without a word. Read through the API's views, which
 * the read-only role may select.
 */
export async function hintWhenEmpty(db: Database, log: Logger): Promise<void> {
  const probes = datasets.map((dataset) => `SELECT 1 FROM api.${dataset.table}`).join(' UNION ALL ');
  let rows: { any: boolean }[];
  try {
    ({ rows } = (await db.knex.raw(`SELECT EXISTS (${probes}) AS any`)) as { rows: { any: boolean }[] });
  } catch (error) {
    // The API's database may not let it in yet: requests answer 503 and /readyz says so.
    log.debug({ err: error }, 'could not check for rows');
    return;
  }
  if (rows[0]?.any) return;
  log.warn('the database has no rows yet: run `npx lakefront load-sample` (the bundled samples) or `npx lakefront sync <dataset>` (from the portal), or `npm start` for the demo');
}
