import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/log.js';
import type { GeoBoundaries } from '../enrich/row-enricher.js';
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

export type DecodeReply =
  | { readonly id: number; readonly page: DecodedPage; readonly logged: readonly LoggedLine[]; readonly parseMs: number }
  | { readonly id: number; readonly failure: { readonly syntax: boolean; readonly message: string }; readonly logged: readonly LoggedLine[]; readonly parseMs: number };

interface Waiting {
  readonly body: string;
  readonly pendingRejects: ReadonlySet<string>;
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
      // A page's rows live only while it is decoded: a small heap suffices, and keeps the RSS down.
      const worker = new Worker(BOOTSTRAP, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 2 } });
      worker.on('message', (reply: DecodeReply) => this.settle(reply));
      worker.on('error', (error) => this.fallBack(error));
      worker.on('exit', (code) => this.fallBack(new Error(`decoding thread exited (${code})`)));
      this.worker = worker;
      this.log.debug({ dataset: this.context.dataset.key, source: this.context.sourceId }, 'pages are decoded in a worker thread');
    } catch (error) {
      this.fallBack(error);
    }
  }

  /** One page. A SyntaxError means the body was cut off (the client fetches it again). */
  decode(body: string, pendingRejects: ReadonlySet<string>): Promise<{ page: DecodedPage; parseMs: number }> {
    if (!this.worker) return Promise.resolve(this.decodeHere(body, pendingRejects));
    const id = this.nextId++;
    const request: DecodeRequest = { id, body, pendingRejects: [...pendingRejects] };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { body, pendingRejects, resolve, reject });
      this.worker!.postMessage(request);
    });
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

  private decodeHere(body: string, pendingRejects: ReadonlySet<string>): { page: DecodedPage; parseMs: number } {
    const began = performance.now();
    const page = decodePage(this.context, body, pendingRejects, this.log);
    return { page, parseMs: performance.now() - began };
  }

  private settle(reply: DecodeReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
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
      try {
        waiting.resolve(this.decodeHere(waiting.body, waiting.pendingRejects));
      } catch (failure) {
        waiting.reject(failure);
      }
    }
  }
}
