import type { SodaClient } from '../socrata/client.js';
import { afterWatermark, allOf, STABLE_ORDER, type Watermark } from '../socrata/soql.js';
import type { SodaRow } from '../soda-values.js';

export interface Page {
  readonly rows: SodaRow[];
  /** The last row's position: where the next page starts, and what to checkpoint. */
  readonly watermark: Watermark;
}

/**
 * Reads a portal id page by page in `:updated_at, :id` order, continuing by keyset from the
 * watermark, so rows changing during the sync are neither skipped nor repeated. The next page is
 * fetched while the caller writes the current one; at most two pages are held at once.
 */
export async function* readPages(
  client: SodaClient,
  portalId: string,
  options: { start: Watermark | undefined; filter: string | undefined; pageSize: number },
): AsyncGenerator<Page> {
  const fetchAfter = (watermark: Watermark | undefined) =>
    client.query(portalId, {
      select: ':*,*',
      where: allOf([options.filter, watermark && afterWatermark(watermark)]),
      order: STABLE_ORDER,
      limit: options.pageSize,
    });
  let pending: Promise<SodaRow[]> | undefined = fetchAfter(options.start);
  while (pending) {
    const rows: SodaRow[] = await pending;
    if (rows.length === 0) return;
    const watermark = positionOf(portalId, rows[rows.length - 1]!);
    // A short page is the last one; otherwise prefetch (and keep a failure for the next await).
    pending = rows.length < options.pageSize ? undefined : fetchAfter(watermark);
    pending?.catch(() => undefined);
    yield { rows, watermark };
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
