import type { Request } from 'express';

/** What the layers read of a request's query parameters (URLSearchParams has these too). */
export interface QueryParams {
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
}

/**
 * Unreserved characters, `,`, `=` and `&` only: form decoding (`+`, percent escapes) leaves such a
 * query as it is, so splitting it gives exactly what URLSearchParams would.
 */
const UNENCODED = /^[A-Za-z0-9._~,=&-]*$/;

/** The pairs of an unencoded query, as URLSearchParams reads them: empty pairs skipped, a name without `=` has the value ''. */
class SplitQuery implements QueryParams {
  private readonly values = new Map<string, string[]>();

  constructor(query: string) {
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      const value = equals === -1 ? '' : pair.slice(equals + 1);
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

const parsed = new WeakMap<Request, QueryParams>();

/**
 * The request's query parameters, decoded; parsed once per request, though several layers read
 * them (the export and heavy-page bounds, the typed query, the list handler). The queries every
 * SDK and docs call sends need no decoding and are split as they are: URLSearchParams, which
 * reads the rest, cost several microseconds a request, and its `getAll` converts the name and
 * scans every pair on each of an operation's few dozen parameters.
 */
export function queryParamsOf(req: Request): QueryParams {
  let params = parsed.get(req);
  if (!params) {
    const start = req.originalUrl.indexOf('?');
    const query = start === -1 ? '' : req.originalUrl.slice(start + 1);
    params = UNENCODED.test(query) ? new SplitQuery(query) : new URLSearchParams(query);
    parsed.set(req, params);
  }
  return params;
}
