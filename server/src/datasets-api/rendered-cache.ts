import type { Knex } from 'knex';
import type { Response } from 'express';

/**
 * Rendered answers of reports and aggregates, kept by ETag. The ETag covers the data version, the
 * URL and the format (freshness.ts), and a data version moves whenever a writer changes what the
 * API serves (core/db/data-version.ts), so an answer kept under a tag is the answer for that tag
 * until the data change; then requests carry a new tag and the old entry ages out.
 *
 * A report for a year is a few thousand rollup rows (by-zip: about 3.5 ms of CPU a request between
 * Node and PostgreSQL), and the explorer asks for the same chart again on every visit; a repeat
 * costs a Map lookup. Only finished answers are kept: a request that finds none renders its own
 * (within its own database work, so a client that leaves still has its query cancelled).
 */
export class RenderedCache {
  private readonly entries = new Map<string, Kept>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly keepMs: number = KEEP_MS,
  ) {}

  /** The answer kept under `tag`, or the one `render` makes (kept when it fits). */
  async answer<V extends Rendered>(tag: string | undefined, render: () => Promise<V>): Promise<V> {
    const kept = tag === undefined ? undefined : this.entries.get(tag);
    if (kept && kept.until > Date.now()) {
      // Least recently used leaves first: a hit moves to the end of the Map's order.
      this.entries.delete(tag!);
      this.entries.set(tag!, kept);
      return kept.value as V;
    }
    if (kept) this.forget(tag!, kept);
    const rendered = await render();
    if (tag !== undefined) this.keep(tag, rendered);
    return rendered;
  }

  private keep(tag: string, value: Rendered): void {
    const size = sizeOf(tag, value);
    if (size > this.maxBytes / 8 || this.entries.has(tag)) return;
    this.entries.set(tag, { value, size, until: Date.now() + this.keepMs });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.forget(oldest, entry);
    }
  }

  private forget(tag: string, entry: Kept): void {
    this.entries.delete(tag);
    this.bytes -= entry.size;
  }
}

interface Kept {
  readonly value: Rendered;
  readonly size: number;
  readonly until: number;
}

/**
 * How long an answer is kept at most, even while its tag stands: as long as clients may reuse it
 * (`Cache-Control: max-age=60`, freshness.ts). A writer whose data-version bump failed after its
 * rows committed leaves the tag unchanged; the answers under it are then stale for this long at most.
 */
const KEEP_MS = 60_000;

/** A rendered body, and whatever else its responses carry (an aggregate's `truncated`). */
export interface Rendered {
  readonly text: string;
}

/**
 * Two bytes a character (JavaScript strings are UTF-16) for the tag and the text, and what an entry
 * costs besides (the Map's slot, the objects): an empty answer (a CSV of no rows) is not free, or
 * endless distinct URLs with empty answers would never evict anything.
 */
function sizeOf(tag: string, value: Rendered): number {
  return (tag.length + value.text.length) * 2 + ENTRY_OVERHEAD_BYTES;
}

const ENTRY_OVERHEAD_BYTES = 256;

/** Memory for rendered answers per process and database: a year's by-zip report is about 100 kB. */
export const RENDERED_CACHE_BYTES = 32 * 1024 * 1024;

const caches = new WeakMap<Knex, RenderedCache>();

/** The rendered answers served from `knex`'s database (the tags of different URLs never meet). */
export function renderedCache(knex: Knex): RenderedCache {
  let cache = caches.get(knex);
  if (!cache) caches.set(knex, (cache = new RenderedCache(RENDERED_CACHE_BYTES)));
  return cache;
}

/** The ETag answerFromCache set on this response: the key of its rendered answer. */
export function etagOf(res: Response): string | undefined {
  const tag = res.getHeader('ETag');
  return typeof tag === 'string' ? tag : undefined;
}
