import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/log.js';
import type { GeoBoundaries } from '../enrich/row-enricher.js';
import type { Watermark } from '../socrata/soql.js';
import { decodePage, type DecodeContext, type DecodedPage } from './decode-page.js';

/** What the decoding thread is started with: plain data (the dataset is found again by key). */
export interface DecodeSetup {
  readonly datasetKey: string;
  readonly columns: readonly string[];
  readonly sourceId: string;
  readonly boundaries?: GeoBoundaries | undefined;
}

export interface DecodeRequest {
  readonly id: number;
  readonly body: string;
  readonly pendingRejects: readonly string[];
}

export interface LoggedLine {
  readonly level: 'warn' | 'error';
  readonly context: object;
  readonly message: string;
}

/** A page's row count and last position, known once it is parsed (before it is encoded). */
export interface PagePosition {
  readonly count: number;
  readonly last?: Watermark;
}

/** One page being decoded: its position first (a body that does not parse rejects it), then the page. */
export interface Decoding {
  readonly parsed: Promise<PagePosition>;
  readonly done: Promise<{ page: DecodedPage; parseMs: number }>;
}

export type DecodeReply =
  | { readonly id: number; readonly parsed: PagePosition }
  | { readonly id: number; readonly page: DecodedPage; readonly logged: readonly LoggedLine[]; readonly parseMs: number }
  | { readonly id: number; readonly failure: { readonly syntax: boolean; readonly message: string }; readonly logged: readonly LoggedLine[]; readonly parseMs: number };

interface Waiting {
  readonly body: string;
  readonly pendingRejects: ReadonlySet<string>;
  readonly parsed: (position: PagePosition) => void;
  readonly resolve: (result: { page: DecodedPage; parseMs: number }) => void;
  readonly reject: (error: unknown) => void;
}

const BOOTSTRAP = new URL('./decode-worker-bootstrap.js', import.meta.url);

/**
 * Decodes a source's pages (JSON.parse, map, enrich, encode): on the main thread at first, and in
 * a worker thread once `useThread` is called (the sync does so when a first full page says more
 * follow, so a small incremental sync never pays for starting a thread). The thread decodes page
 * N+1 on the second core while the main thread streams page N to PostgreSQL. If the thread
 * cannot start or dies, what it had in hand is decoded on the main thread and the rest stays there.
 */
export class PageDecoder {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly context: DecodeContext,
    private readonly log: Logger,
  ) {}

  useThread(): void {
    if (this.worker || this.failed) return;
    const setup: DecodeSetup = {
      datasetKey: this.context.dataset.key,
      columns: this.context.columns,
      sourceId: this.context.sourceId,
      boundaries: this.context.enricher?.boundaries?.(),
    };
    // Only an enricher that can be rebuilt in the thread may move there.
    if (this.context.enricher && !setup.boundaries) return;
    try {
      // A page's rows live only while it is decoded: a small old generation suffices, and keeps the
      // RSS down. The young generation must hold a parsed page with room to spare, or every scavenge
      // copies the page's rows and promotes them: with 2 MB the thread spent 15-25 us per crimes row
      // (bench:decode), with 16 MB and pages of 2,500 rows 7-8, with 32 MB 6 but 20-50 MB more RSS.
      const worker = new Worker(BOOTSTRAP, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 } });
      worker.on('message', (reply: DecodeReply) => this.settle(reply));
      worker.on('error', (error) => this.fallBack(error));
      worker.on('exit', (code) => this.fallBack(new Error(`decoding thread exited (${code})`)));
      this.worker = worker;
      this.log.debug({ dataset: this.context.dataset.key, source: this.context.sourceId }, 'pages are decoded in a worker thread');
    } catch (error) {
      this.fallBack(error);
    }
  }

  /**
   * One page. `parsed` settles once the body is parsed (in the thread, before the page is encoded),
   * so the caller can ask for the next page meanwhile; a SyntaxError there means the body was cut
   * off (the client fetches it again). `done` settles with the encoded page.
   */
  decode(body: string, pendingRejects: ReadonlySet<string>): Decoding {
    let parsed!: (position: PagePosition) => void;
    let resolve!: (result: { page: DecodedPage; parseMs: number }) => void;
    let reject!: (error: unknown) => void;
    const parsing = new Promise<PagePosition>((onParsed, onFailed) => {
      parsed = onParsed;
      reject = onFailed;
    });
    const done = new Promise<{ page: DecodedPage; parseMs: number }>((onDone, onFailed) => {
      resolve = (result) => {
        parsed({ count: result.page.count, ...(result.page.last ? { last: result.page.last } : {}) });
        onDone(result);
      };
      const failParsing = reject;
      reject = (error) => {
        failParsing(error);
        onFailed(error);
      };
    });
    // A caller that saw `parsed` fail does not wait for `done`.
    done.catch(() => {});
    const waiting: Waiting = { body, pendingRejects, parsed, resolve, reject };
    if (!this.worker) {
      this.decodeHere(waiting);
    } else {
      const id = this.nextId++;
      const request: DecodeRequest = { id, body, pendingRejects: [...pendingRejects] };
      this.waiting.set(id, waiting);
      this.worker.postMessage(request);
    }
    return { parsed: parsing, done };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failed = true;
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }

  private decodeHere(waiting: Waiting): void {
    const began = performance.now();
    try {
      const page = decodePage(this.context, waiting.body, waiting.pendingRejects, this.log);
      waiting.resolve({ page, parseMs: performance.now() - began });
    } catch (error) {
      waiting.reject(error);
    }
  }

  private settle(reply: DecodeReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    if ('parsed' in reply) {
      waiting.parsed(reply.parsed);
      return;
    }
    this.waiting.delete(reply.id);
    for (const line of reply.logged) this.log[line.level](line.context, line.message);
    if ('page' in reply) waiting.resolve({ page: reply.page, parseMs: reply.parseMs });
    else waiting.reject(reply.failure.syntax ? new SyntaxError(reply.failure.message) : new Error(reply.failure.message));
  }

  private fallBack(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.log.warn({ dataset: this.context.dataset.key, source: this.context.sourceId }, `pages are decoded on the main thread: ${error instanceof Error ? error.message : String(error)}`);
    for (const [id, waiting] of this.waiting) {
      this.waiting.delete(id);
      this.decodeHere(waiting);
    }
  }
}
