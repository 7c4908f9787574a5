import type { DatasetDefinition } from '../../core/datasets/index.js';
import type { Watermark } from '../socrata/soql.js';
import type { SodaRow } from '../soda-values.js';
import { encodePage, type EncodedPage, type PageLog } from './encode-page.js';
import type { RowEnricher } from './hooks.js';

/** What decoding a page needs besides its body: fixed for one source's sync. */
export interface DecodeContext {
  readonly dataset: DatasetDefinition;
  readonly columns: readonly string[];
  readonly sourceId: string;
  readonly enricher?: RowEnricher | undefined;
}

/** A page's body, parsed, mapped and encoded to COPY text. */
export interface DecodedPage {
  readonly encoded: EncodedPage;
  /** Rows the portal sent (a short page is the last). */
  readonly count: number;
  /** The last row's position in `:updated_at, :id` order; absent for an empty page. */
  readonly last?: Watermark;
  /** Portal row ids in this page that are in the rejects table: deleted there once stored. */
  readonly clears: readonly string[];
}

/**
 * JSON.parse, map and encode one page. A body that is not a JSON array throws a SyntaxError: the
 * client counts it as cut off and fetches the page again.
 */
export function decodePage(context: DecodeContext, body: string, pendingRejects: ReadonlySet<string>, log: PageLog): DecodedPage {
  const rows = JSON.parse(body) as unknown;
  if (!Array.isArray(rows)) throw new SyntaxError('expected a JSON array of rows');
  const page = rows as SodaRow[];
  const clears = pendingRejects.size ? page.map((row) => String(row[':id'])).filter((rowId) => pendingRejects.has(rowId)) : [];
  // No backslash in the text: no string value holds a character COPY escapes (JSON would escape it).
  const encoded = encodePage(context.dataset, context.columns, context.sourceId, page, log, context.enricher, { clean: !body.includes('\\') });
  const lastRow = page[page.length - 1];
  return { encoded, count: page.length, clears, ...(lastRow ? { last: positionOf(context.sourceId, lastRow) } : {}) };
}

function positionOf(portalId: string, row: SodaRow): Watermark {
  const updatedAt = row[':updated_at'];
  const rowId = row[':id'];
  if (typeof updatedAt !== 'string' || typeof rowId !== 'string') {
    throw new Error(`Socrata ${portalId}: rows lack the system fields :id and :updated_at (was $select=:*,* ignored?)`);
  }
  return { updatedAt, rowId };
}
