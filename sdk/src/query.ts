/*
 * Options objects for TanStack Query (React, Vue, Svelte, Solid), typed structurally so the SDK
 * needs no dependency on it: they fit `useQuery`, `useInfiniteQuery`, `queryClient.fetchQuery`…
 */

/** A query key: the API, the server, the path, the kind of call, and the parameters. */
export type LakefrontQueryKey = readonly ['lakefront', string, string, string, object];

export interface QueryOptions<Result> {
  queryKey: LakefrontQueryKey;
  /** Calls the API; the signal TanStack passes cancels it (an unmounted component, `cancelQueries`). */
  queryFn: (context: { signal: AbortSignal }) => Promise<Result>;
}

export interface InfiniteQueryOptions<Page> {
  queryKey: LakefrontQueryKey;
  queryFn: (context: { signal: AbortSignal; pageParam: string | null }) => Promise<Page>;
  /** `null`: the first page has no cursor. */
  initialPageParam: string | null;
  /** The page's `next_cursor`; `null` on the last page, which tells TanStack there is no next one. */
  getNextPageParam: (lastPage: Page) => string | null;
}

/**
 * `['lakefront', baseUrl, path, kind, params]`: invalidate every query of a dataset with the first
 * three (`queryClient.invalidateQueries({ queryKey: ['lakefront', baseUrl, '/v1/crimes'] })`).
 */
export function queryKeyOf(baseUrl: string, path: string, kind: string, params: object | undefined): LakefrontQueryKey {
  return ['lakefront', baseUrl, path, kind, params ?? {}];
}
