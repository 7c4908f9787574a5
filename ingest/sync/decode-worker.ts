/**
 * The sync's decoding thread (see page-decoder.ts): parses, maps, enriches and encodes the pages
 * the main thread fetched, so that work runs on another core while the main thread streams the
 * previous page to PostgreSQL. Started through decode-worker-bootstrap.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { findDataset } from '../../core/datasets/index.js';
import { RowEnricher } from '../enrich/row-enricher.js';
import { encodeParsed, parsePage } from './decode-page.js';
import type { DecodeReply, DecodeRequest, DecodeSetup, LoggedLine } from './page-decoder.js';

const setup = workerData as DecodeSetup;
const dataset = findDataset(setup.datasetKey);
if (!dataset) throw new Error(`no dataset ${setup.datasetKey}`);
const context = {
  dataset,
  columns: setup.columns,
  sourceId: setup.sourceId,
  enricher: setup.boundaries ? RowEnricher.fromBoundaries(setup.boundaries) : undefined,
};

parentPort!.on('message', (request: DecodeRequest) => {
  const logged: LoggedLine[] = [];
  const log = {
    warn: (lineContext: object, message: string) => logged.push({ level: 'warn', context: lineContext, message }),
    error: (lineContext: object, message: string) => logged.push({ level: 'error', context: lineContext, message }),
  };
  const began = performance.now();
  let reply: DecodeReply;
  try {
    const parsed = parsePage(context, request.body);
    // The next page's keyset query needs only this: sent before the page is encoded, so its fetch
    // runs meanwhile.
    parentPort!.postMessage({ id: request.id, parsed: { count: parsed.count, ...(parsed.last ? { last: parsed.last } : {}) } } satisfies DecodeReply);
    const page = encodeParsed(context, parsed, new Set(request.pendingRejects), log);
    reply = { id: request.id, page, logged, parseMs: performance.now() - began };
  } catch (error) {
    const failure = { syntax: error instanceof SyntaxError, message: error instanceof Error ? error.message : String(error) };
    reply = { id: request.id, failure, logged, parseMs: performance.now() - began };
  }
  parentPort!.postMessage(reply);
});
