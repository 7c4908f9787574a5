import type { Request } from 'express';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryParamsOf } from '../src/query-params.js';

/**
 * The layers read a request's query through queryParamsOf, which splits plain queries itself.
 * What it reads must be what WHATWG URLSearchParams (Node's own) reads from the same query, for
 * every name, present or not.
 */
function readsLikeUrlSearchParams(query: string, names: readonly string[]): void {
  const ours = queryParamsOf({ originalUrl: `/v1/crimes?${query}` } as Request);
  const reference = new URLSearchParams(query);
  for (const name of new Set([...names, ...reference.keys()])) {
    expect(ours.get(name), `${query}: get(${name})`).toBe(reference.get(name));
    expect(ours.getAll(name), `${query}: getAll(${name})`).toEqual(reference.getAll(name));
    expect(ours.has(name), `${query}: has(${name})`).toBe(reference.has(name));
  }
}

describe('query parameters', () => {
  it('read as URLSearchParams reads them: repeats, empty pairs and values, names without "=", lists, encodings', () => {
    const queries = [
      'primary_type=THEFT&from=2019-01-01&to=2019-02-01&limit=100',
      'fields=id,date,block&limit=5',
      'limit=1&limit=2&limit=3',
      '&&limit=5&&',
      'count&limit=',
      '=5&limit==5',
      'primary_type=CRIM%20SEXUAL%20ASSAULT&block=%2B1+2',
      'ward=%E2%82%AC&x=%zz&y=%',
      'a=1&A=2',
      '',
    ];
    for (const query of queries) readsLikeUrlSearchParams(query, ['limit', 'count', 'primary_type', 'fields', 'ward', 'a', 'A', 'missing', '']);
  });

  it('read as URLSearchParams reads them for generated queries', () => {
    const piece = fc.stringMatching(/^[A-Za-z0-9._~,=+%-]{0,6}$/);
    const query = fc.array(fc.tuple(piece, fc.constantFrom('=', '', '=='), piece), { maxLength: 6 }).map((pairs) => pairs.map(([name, equals, value]) => `${name}${equals}${value}`).join('&'));
    fc.assert(
      fc.property(query, (text) => readsLikeUrlSearchParams(text, ['limit', 'a', ''])),
      { seed: 20261207, numRuns: 2_000 },
    );
  });
});
