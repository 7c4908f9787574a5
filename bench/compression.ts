// Compression cost of a 10,000-row page (not a test; never run by `npm test`).
//   npm run bench:compression
// Serves /v1/crimes?limit=10000 in JSON, GeoJSON, CSV and NDJSON from the real server over PGlite
// (the bundled crimes sample, enriched, topped up to 10,957 rows with cloned rows), takes each
// body uncompressed, then compresses it with the settings the server uses (server/src/middleware/
// compress.ts: gzip level 6, brotli quality 4) and, for comparison, gzip 1 and brotli 11. Reports
// bytes and the CPU each costs (median of 5, process CPU time of the synchronous zlib call).
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { communityAreas } from '../core/datasets/community-areas.js';
import { crimes } from '../core/datasets/crimes.js';
import { zipCodes } from '../core/datasets/zip-codes.js';
import { silentLogger } from '../core/log.js';
import { createTestDatabase } from '../core/testing/test-database.js';
import { recomputeEnrichment } from '../ingest/enrich/recompute.js';
import { loadSample } from '../ingest/load-sample.js';
import { listen } from '../server/src/listen.js';
import { insertSodaRows } from '../server/test/seed-rows.js';
import { clonedCrime } from './cloned-crimes.js';

const ROWS = 10_000;
const RUNS = 5;

const db = await createTestDatabase();
for (const dataset of [zipCodes, communityAreas, crimes]) await loadSample(db.knex, dataset, silentLogger);
await insertSodaRows(db, crimes, Array.from({ length: 4_000 }, (_, index) => clonedCrime(index)));
await recomputeEnrichment(db, [crimes]);
const server = await listen({ db, log: silentLogger }, 0, '127.0.0.1');

const codecs: { name: string; served: boolean; compress: (body: Buffer) => Buffer }[] = [
  { name: 'gzip 6', served: true, compress: (body) => gzipSync(body, { level: 6 }) },
  { name: 'brotli 4', served: true, compress: (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }) },
  { name: 'gzip 1', served: false, compress: (body) => gzipSync(body, { level: 1 }) },
  { name: 'brotli 11', served: false, compress: (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }) },
];

function cpuMs(work: () => void): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = process.cpuUsage();
    work();
    const used = process.cpuUsage(started);
    times.push((used.user + used.system) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
process.stdout.write(`\n/v1/crimes?limit=${ROWS}, every column; CPU = median of ${RUNS}, one core\n\n`);
process.stdout.write('| format | uncompressed MB | ' + codecs.map((codec) => `${codec.name}${codec.served ? ' (served)' : ''}: MB, ratio, CPU ms`).join(' | ') + ' |\n');
process.stdout.write('|---|---:|' + codecs.map(() => '---:|').join('') + '\n');
for (const format of ['json', 'geojson', 'csv', 'ndjson']) {
  const response = await fetch(`${server.url}/v1/crimes?limit=${ROWS}&format=${format}`, { headers: { 'accept-encoding': 'identity' } });
  if (!response.ok) throw new Error(`${format}: ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  const lines = body.toString('utf8').split('\n').length;
  if (format === 'csv' && lines < ROWS) throw new Error(`csv: only ${lines} lines`);
  const cells = codecs.map((codec) => {
    const compressed = codec.compress(body).length;
    const ms = cpuMs(() => codec.compress(body));
    return `${mb(compressed)}, ${((compressed / body.length) * 100).toFixed(1)}%, ${ms.toFixed(0)}`;
  });
  process.stdout.write(`| ${format} | ${mb(body.length)} | ${cells.join(' | ')} |\n`);
}
await server.close();
await db.close();
