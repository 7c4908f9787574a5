/**
 * The only stand-in in the SDK tests: a fetch that records every request and passes it to the
 * real server, unless the plan says to answer this attempt with a fault instead (a thrown network
 * error, or a 429/503 as a proxy or rate limiter would send).
 */
export type Fault = { status: 429 | 503; retryAfter?: string } | { networkError: string };

export interface ObservingFetch {
  readonly fetch: typeof fetch;
  /** URLs in the order they were requested (each attempt counts). */
  readonly urls: string[];
  /** The requests themselves, in the same order. */
  readonly requests: Request[];
}

export function observingFetch(plan: (attempt: number, request: Request) => Fault | undefined = () => undefined): ObservingFetch {
  const urls: string[] = [];
  const requests: Request[] = [];
  const observed: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    urls.push(request.url);
    requests.push(request);
    const fault = plan(urls.length, request);
    if (!fault) return fetch(request);
    if ('networkError' in fault) throw new TypeError(fault.networkError);
    const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
    if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    const title = fault.status === 429 ? 'Too Many Requests' : 'Service Unavailable';
    return new Response(JSON.stringify({ type: 'about:blank', title, status: fault.status }), { status: fault.status, headers });
  };
  return { fetch: observed, urls, requests };
}
