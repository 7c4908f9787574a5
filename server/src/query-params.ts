import type { Request } from 'express';

/** What the layers read of a request's query parameters (URLSearchParams has these too). */
export interface QueryParams {
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
}

/** One `&`-separated piece of a query string, as written (not decoded), cut at its first `=`. */
export interface QueryPair {
  readonly name: string;
  /** '' when the piece has no `=`. */
  readonly value: string;
  /** The piece has an `=` (`limit=` has an empty value; `limit` has none). */
  readonly hasValue: boolean;
}

/** A request's query string and its pieces, split once. */
export interface SplitQueryString {
  readonly query: string;
  /** Every piece in order, empty ones (`a=1&&b=2`) included; none for an empty query. */
  readonly pairs: readonly QueryPair[];
  /**
   * Only unreserved characters, `,`, `=` and `&`: form decoding (`+`, percent escapes) leaves each
   * name and value as written, so the pieces are the decoded parameters.
   */
  readonly unencoded: boolean;
}

const UNENCODED = /^[A-Za-z0-9._~,=&-]*$/;

/** A split, the URL it was made from, and the parameters read from it once a layer asked for them. */
interface KeptSplit extends SplitQueryString {
  readonly url: string;
  params?: QueryParams;
}

const splits = new WeakMap<Request, KeptSplit>();

/**
 * The request's query, split once for every layer that reads it: the canonical form
 * (middleware/query-shape.ts), the fast check against the spec (middleware/spec-validation.ts),
 * and queryParamsOf. Split again only when the query was rewritten (canonicalQuery does).
 */
export function splitQueryOf(req: Request): SplitQueryString {
  return keptSplitOf(req);
}

function keptSplitOf(req: Request): KeptSplit {
  const url = req.originalUrl;
  let split = splits.get(req);
  if (split?.url !== url) {
    const start = url.indexOf('?');
    const query = start === -1 ? '' : url.slice(start + 1);
    split = { url, query, pairs: query === '' ? [] : query.split('&').map(pairOf), unencoded: UNENCODED.test(query) };
    splits.set(req, split);
  }
  return split;
}

function pairOf(piece: string): QueryPair {
  const equals = piece.indexOf('=');
  return equals === -1 ? { name: piece, value: '', hasValue: false } : { name: piece.slice(0, equals), value: piece.slice(equals + 1), hasValue: true };
}

/** The parameters of an unencoded query, as URLSearchParams reads them: empty pieces skipped, a name without `=` has the value ''. */
class UnencodedParams implements QueryParams {
  private readonly values = new Map<string, string[]>();

  constructor(pairs: readonly QueryPair[]) {
    for (const { name, value, hasValue } of pairs) {
      if (name === '' && !hasValue) continue;
      const values = this.values.get(name);
      if (values) values.push(value);
      else this.values.set(name, [value]);
    }
  }

  get(name: string): string | null {
    return this.values.get(name)?.[0] ?? null;
  }

  getAll(name: string): string[] {
    return this.values.get(name)?.slice() ?? [];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
}

/**
 * The request's query parameters, decoded; read by several layers (the export and heavy-page
 * bounds, the typed query, the list handler). The queries every SDK and docs call sends need no
 * decoding and are read from their pieces: URLSearchParams, which reads the rest, cost several
 * microseconds a request, and its `getAll` converts the name and scans every pair on each of an
 * operation's few dozen parameters.
 */
export function queryParamsOf(req: Request): QueryParams {
  const split = keptSplitOf(req);
  split.params ??= split.unencoded ? new UnencodedParams(split.pairs) : new URLSearchParams(split.query);
  return split.params;
}
