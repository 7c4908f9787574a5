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

/** A page's body after JSON.parse: enough to ask for the next page (keyset) while it is encoded. */
export interface ParsedPage {
  readonly rows: readonly SodaRow[];
  /** Rows the portal sent (a short page is the last). */
  readonly count: number;
  /** The last row's position in `:updated_at, :id` order; absent for an empty page. */
  readonly last?: Watermark;
  /** The body holds no backslash (see EncodeOptions.clean). */
  readonly clean: boolean;
}

/**
 * JSON.parse one page. A body that is not a JSON array throws a SyntaxError: the client counts it
 * as cut off and fetches the page again.
 */
export function parsePage(context: DecodeContext, body: string): ParsedPage {
  const rows = JSON.parse(body) as unknown;
  if (!Array.isArray(rows)) throw new SyntaxError('expected a JSON array of rows');
  const page = rows as SodaRow[];
  const lastRow = page[page.length - 1];
  // No backslash in the text: no string value holds a character COPY escapes (JSON would escape it).
  return { rows: page, count: page.length, clean: !body.includes('\\'), ...(lastRow ? { last: positionOf(context.sourceId, lastRow) } : {}) };
}

/** Maps, enriches and encodes a parsed page. */
export function encodeParsed(context: DecodeContext, parsed: ParsedPage, pendingRejects: ReadonlySet<string>, log: PageLog): DecodedPage {
  const { rows } = parsed;
  const clears = pendingRejects.size ? rows.map((row) => String(row[':id'])).filter((rowId) => pendingRejects.has(rowId)) : [];
  const encoded = encodePage(context.dataset, context.columns, context.sourceId, rows, log, context.enricher, { clean: parsed.clean });
  return { encoded, count: parsed.count, clears, ...(parsed.last ? { last: parsed.last } : {}) };
}

/** JSON.parse, map and encode one page (parsePage, then encodeParsed). */
export function decodePage(context: DecodeContext, body: string, pendingRejects: ReadonlySet<string>, log: PageLog): DecodedPage {
  return encodeParsed(context, parsePage(context, body), pendingRejects, log);
}

function positionOf(portalId: string, row: SodaRow): Watermark {
  const updatedAt = row[':updated_at'];
  const rowId = row[':id'];
  if (typeof updatedAt !== 'string' || typeof rowId !== 'string') {
    throw new Error(`Socrata ${portalId}: rows lack the system fields :id and :updated_at (was $select=:*,* ignored?)`);
  }
  return { updatedAt, rowId };
}
