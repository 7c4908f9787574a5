/** A kept answer and the validator the server gave it. */
export interface CachedAnswer {
  etag: string;
  /** The body as received (parsed afresh for each call, so a caller changing its result changes no one else's). */
  text: string;
}

/**
 * The opt-in revalidating cache (`createLakefront({ cache: true })`): the last JSON answer per URL
 * with its ETag, least recently used first out. A later call sends `If-None-Match`, and a 304
 * is answered from here: the server skips the query and the body, the caller sees a normal result.
 */
export class EtagCache {
  private readonly entries = new Map<string, CachedAnswer>();

  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError(`cache.maxEntries must be an integer >= 1, got ${maxEntries}`);
  }

  get(url: string): CachedAnswer | undefined {
    const answer = this.entries.get(url);
    if (answer) {
      this.entries.delete(url);
      this.entries.set(url, answer);
    }
    return answer;
  }

  set(url: string, answer: CachedAnswer): void {
    this.entries.delete(url);
    this.entries.set(url, answer);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
