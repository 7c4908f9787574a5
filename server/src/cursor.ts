import { HttpProblem } from './problems.js';

/**
 * Cursors are the last row's sort key, base64url JSON, tagged with the query they belong to (dataset,
 * order, filters) so a cursor replayed elsewhere is rejected instead of silently skipping rows.
 */
type CursorValue = string | number | boolean | null;

export function encodeCursor(scope: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify({ s: scope, v: values })).toString('base64url');
}

export function decodeCursor(scope: string, cursor: string, arity: number): CursorValue[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw HttpProblem.badParameter('cursor', 'is not a cursor returned by this endpoint');
  }
  const { s, v } = (decoded ?? {}) as { s?: unknown; v?: unknown };
  const valid =
    s === scope &&
    Array.isArray(v) &&
    v.length === arity &&
    v.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item));
  if (!valid) throw HttpProblem.badParameter('cursor', 'belongs to another query: pass it back with the filters and order that returned it, or start again without cursor');
  return v as CursorValue[];
}
