/**
 * The sync's decoding step alone, on one thread: `npm run bench:decode -- [--rows 1000000] [--page-size 2500] [--boundaries 1]`.
 * Feeds `decodePage` (JSON.parse, mapping, enrichment, COPY encoding: what the decoding thread
 * does per page) the bodies bench:ingest's portal serves (cloned crimes rows), and prints the time
 * per row of each step, measured apart in the same run:
 *
 * - parse: JSON.parse of the page bodies;
 * - map: mapSodaRow (the old per-value path) over the parsed rows, for reference;
 * - enrich: the ZIP and community area lookups alone, when --boundaries 1 (the bundled boundaries);
 * - decode: decodePage end to end on this thread;
 * - thread: the same through the sync's PageDecoder in its worker thread (its heap limits, the
 *   body posted there and the COPY text posted back), one page at a time: the decoding thread's
 *   own rate, which bounds a sync.
 *
 * Run it under `node --cpu-prof --import tsx bench/decode.ts` to see the split by function.
 */
import { readFileSync } from 'node:fs';
import { communityAreas } from '../core/datasets/community-areas.js';
import { crimes } from '../core/datasets/crimes.js';
import { GEO_COLUMNS, type DatasetDefinition } from '../core/datasets/index.js';
import { zipCodes } from '../core/datasets/zip-codes.js';
import type { BoundaryFeature } from '../core/geo/boundary-index.js';
import { RowEnricher } from '../ingest/enrich/row-enricher.js';
import { columnNames, mapSodaRow, type SodaRow } from '../ingest/soda-values.js';
import { silentLogger } from '../core/log.js';
import { decodePage, type DecodeContext } from '../ingest/sync/decode-page.js';
import { PageDecoder } from '../ingest/sync/page-decoder.js';
import { DEFAULT_PAGE_SIZE } from '../ingest/sync/sync-source.js';
import { clonedCrime, CRIMES_PORTAL_ID } from './cloned-crimes.js';

const args = parseArgs(process.argv.slice(2));
const ROWS = args.rows ?? 1_000_000;
const PAGE_SIZE = args['page-size'] ?? DEFAULT_PAGE_SIZE;
const WITH_BOUNDARIES = (args.boundaries ?? 0) === 1;
/** Distinct page bodies held at once (the rest of the rows reuse them): 1M rows of JSON would be 700 MB. */
const DISTINCT_PAGES = 20;

const enricher = RowEnricher.fromBoundaries(WITH_BOUNDARIES ? { zip: features(zipCodes, 'zip', String), communityArea: features(communityAreas, 'area_numbe', Number) } : { zip: [], communityArea: [] });
const columns = [...columnNames(crimes), GEO_COLUMNS.zip, GEO_COLUMNS.communityArea];
const context: DecodeContext = { dataset: crimes, columns, sourceId: CRIMES_PORTAL_ID, enricher };
const log = { warn: () => {}, error: () => {} };
const bodies: string[] = [];
for (let page = 0; page < DISTINCT_PAGES; page += 1) {
  const rows: string[] = [];
  for (let index = page * PAGE_SIZE; index < (page + 1) * PAGE_SIZE; index += 1) rows.push(JSON.stringify(clonedCrime(index)));
  bodies.push(`[${rows.join(',')}]`);
}
const pages = Math.ceil(ROWS / PAGE_SIZE);
const noRejects = new Set<string>();

function timed(label: string, work: (body: string) => unknown): number {
  // One warm-up pass over the distinct pages, then the timed pass over every page.
  for (const body of bodies) work(body);
  const began = performance.now();
  for (let page = 0; page < pages; page += 1) work(bodies[page % DISTINCT_PAGES]!);
  const ms = performance.now() - began;
  const perRow = (ms * 1000) / (pages * PAGE_SIZE);
  console.log(`${label.padEnd(44)} ${perRow.toFixed(2).padStart(6)} us/row  ${Math.round((pages * PAGE_SIZE) / (ms / 1000)).toLocaleString('en-US').padStart(9)} rows/s`);
  return perRow;
}

console.log(`${(pages * PAGE_SIZE).toLocaleString('en-US')} cloned crimes rows in pages of ${PAGE_SIZE.toLocaleString('en-US')}, boundaries ${WITH_BOUNDARIES ? 'loaded (bundled samples)' : 'empty (as in bench:ingest)'}`);
const parsed = bodies.map((body) => JSON.parse(body) as SodaRow[]);
timed('parse: JSON.parse', (body) => JSON.parse(body));
timed('map: mapSodaRow per row (old path)', (body) => {
  for (const row of parsed[bodies.indexOf(body)]!) mapSodaRow(crimes, row, CRIMES_PORTAL_ID);
});
if (WITH_BOUNDARIES) {
  const points = parsed.map((rows) => rows.map((row) => [Number(row.longitude), Number(row.latitude)] as const));
  timed('enrich: ZIP + community area lookups', (body) => {
    for (const [lon, lat] of points[bodies.indexOf(body)]!) enricher.geoValues(lon, lat);
  });
}
timed('decode: decodePage on this thread', (body) => decodePage(context, body, noRejects, log));

const decoder = new PageDecoder(context, silentLogger);
decoder.useThread();
for (const body of bodies) await decoder.decode(body, noRejects).done;
let threadMs = 0;
const threadBegan = performance.now();
for (let page = 0; page < pages; page += 1) threadMs += (await decoder.decode(bodies[page % DISTINCT_PAGES]!, noRejects).done).parseMs;
const wallMs = performance.now() - threadBegan;
await decoder.close();
const rows = pages * PAGE_SIZE;
console.log(`${'thread: PageDecoder, its worker thread'.padEnd(44)} ${((wallMs * 1000) / rows).toFixed(2).padStart(6)} us/row  ${Math.round(rows / (wallMs / 1000)).toLocaleString('en-US').padStart(9)} rows/s (in the thread ${((threadMs * 1000) / rows).toFixed(2)} us/row)`);

function features<K extends string | number>(dataset: DatasetDefinition, keyColumn: string, keyOf: (value: unknown) => K): BoundaryFeature<K>[] {
  const rows = JSON.parse(readFileSync(new URL(`../core/datasets/samples/${dataset.sample!.file}`, import.meta.url), 'utf8')) as Record<string, unknown>[];
  return rows.filter((row) => row[keyColumn] != null && row[dataset.geometryColumn!] != null).map((row) => ({ key: keyOf(row[keyColumn]), geometry: row[dataset.geometryColumn!] }));
}

function parseArgs(argv: string[]): Record<string, number> {
  const parsedArgs: Record<string, number> = {};
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index]!.replace(/^--/, '');
    const value = Number(argv[index + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number, got "${argv[index + 1]}"`);
    parsedArgs[name] = value;
  }
  return parsedArgs;
}
