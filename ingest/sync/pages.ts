import type { SodaClient } from '../socrata/client.js';
import { afterWatermark, allOf, STABLE_ORDER, type Watermark } from '../socrata/soql.js';
import type { SodaRow } from '../soda-values.js';

export interface Page<T> {
  /** The page's rows after `prepare`. */
  readonly prepared: T;
  /** Rows the portal sent. */
  readonly count: number;
  /** The last row's position: where the next page starts, and what to checkpoint. */
  readonly watermark: Watermark;
}

/**
 * Reads a portal id page by page in `:updated_at, :id` order, continuing by keyset from the
 * watermark, so rows changing during the sync are neither skipped nor repeated. The next page is
 * fetched and prepared (mapped) while the caller writes the current one, so the database and the
 * JavaScript work overlap; at most two pages are held at once, and raw rows only until prepared.
 */
export async function* readPages<T>(
  client: SodaClient,
  portalId: string,
  options: { start: Watermark | undefined; filter: string | undefined; pageSize: number },
  prepare: (rows: SodaRow[]) => T,
): AsyncGenerator<Page<T>> {
  const fetchAfter = async (watermark: Watermark | undefined): Promise<Page<T> | undefined> => {
    const rows = await client.query(portalId, {
      select: ':*,*',
      where: allOf([options.filter, watermark && afterWatermark(watermark)]),
      order: STABLE_ORDER,
      limit: options.pageSize,
    });
    if (rows.length === 0) return undefined;
    return { prepared: prepare(rows), count: rows.length, watermark: positionOf(portalId, rows[rows.length - 1]!) };
  };
  let pending: Promise<Page<T> | undefined> | undefined = fetchAfter(options.start);
  while (pending) {
    const page: Page<T> | undefined = await pending;
    if (!page) return;
    // A short page is the last one; otherwise prefetch (and keep a failure for the next await).
    pending = page.count < options.pageSize ? undefined : fetchAfter(page.watermark);
    pending?.catch(() => undefined);
    yield page;
  }
}

function positionOf(portalId: string, row: SodaRow): Watermark {
  const updatedAt = row[':updated_at'];
  const rowId = row[':id'];
  if (typeof updatedAt !== 'string' || typeof rowId !== 'string') {
    throw new Error(`Socrata ${portalId}: rows lack the system fields :id and :updated_at (was $select=:*,* ignored?)`);
  }
  return { updatedAt, rowId };
}
