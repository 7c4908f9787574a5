// Geo enrichment benchmark: `npm run bench:enrich [-- --rows N] [-- --skip-db]`.
// 1. Lookup speed of the BoundaryIndex (flatbush + banded ray casting) over the real bundled
//    boundaries, against brute force (ray casting over every polygon of every feature) in the same
//    run, on random points in Chicago's bounding box and on the real crime points.
// 2. `recomputeEnrichment` of N synthetic rows (default 1,000,000) on real PostgreSQL, in a
//    database of its own (lakefront_bench_enrich), with the process's peak RSS.
import { readFileSync } from 'node:fs';
import knexFactory from 'knex';
import { communityAreas } from '../core/datasets/community-areas.js';
import { crimes } from '../core/datasets/crimes.js';
import { zipCodes } from '../core/datasets/zip-codes.js';
import { connect } from '../core/db/connect.js';
import { migrateLatest } from '../core/db/migrate.js';
import { silentLogger } from '../core/log.js';
import { recomputeEnrichment } from '../ingest/enrich/recompute.js';
import { BoundaryIndex, type BoundaryFeature, type BoundaryKey } from '../core/geo/boundary-index.js';
import { polygonsOf, type PolygonRings } from '../core/geo/geojson.js';
import { loadSample } from '../ingest/load-sample.js';

const args = process.argv.slice(2);
const ROWS = Number(args[args.indexOf('--rows') + 1] ?? NaN) || 1_000_000;
const SKIP_DB = args.includes('--skip-db');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'lakefront_bench_enrich';
const CHICAGO = { minLon: -87.94, maxLon: -87.52, minLat: 41.64, maxLat: 42.03 };

function sample(file: string): Record<string, unknown>[] {
  return JSON.parse(readFileSync(new URL(`../core/datasets/samples/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>[];
}

/** The baseline: every polygon of every feature, plain even-odd ray casting, no index. */
class BruteForce<K extends BoundaryKey> {
  private readonly features: { key: K; polygons: PolygonRings[] }[];
  constructor(features: BoundaryFeature<K>[]) {
    this.features = features.map((feature) => ({ key: feature.key, polygons: polygonsOf(feature.geometry) }));
  }
  lookup(x: number, y: number): K | null {
    let best: K | null = null;
    for (const feature of this.features) {
      for (const polygon of feature.polygons) {
        let inside = false;
        for (const ring of polygon) {
          for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!;
            if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
          }
        }
        if (inside && (best === null || feature.key < best)) best = feature.key;
      }
    }
    return best;
  }
}

function randomPoints(count: number, seed: number): Float64Array {
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const points = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    points[i * 2] = CHICAGO.minLon + next() * (CHICAGO.maxLon - CHICAGO.minLon);
    points[i * 2 + 1] = CHICAGO.minLat + next() * (CHICAGO.maxLat - CHICAGO.minLat);
  }
  return points;
}

function crimePoints(): Float64Array {
  const located = sample(crimes.sample.file).filter((row) => row.latitude !== undefined);
  return Float64Array.from(located.flatMap((row) => [Number(row.longitude), Number(row.latitude)]));
}

/** Points per second of `lookup` over `points`, repeated until at least `minMs` have passed. */
function rate(lookup: (x: number, y: number) => unknown, points: Float64Array, minMs: number): { perSecond: number; results: unknown[] } {
  const count = points.length / 2;
  const results: unknown[] = new Array(count);
  let done = 0;
  const started = performance.now();
  do {
    for (let i = 0; i < count; i++) results[i] = lookup(points[i * 2]!, points[i * 2 + 1]!);
    done += count;
  } while (performance.now() - started < minMs);
  return { perSecond: done / ((performance.now() - started) / 1000), results };
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function benchLookups(): void {
  const layers = [
    { name: 'ZIP codes', features: sample(zipCodes.sample.file).map((row) => ({ key: String(row.zip), geometry: row.the_geom })) },
    { name: 'community areas', features: sample(communityAreas.sample.file).map((row) => ({ key: Number(row.area_numbe), geometry: row.the_geom })) },
  ];
  const pointSets = [
    { name: `random in Chicago bbox`, points: randomPoints(200_000, 42) },
    { name: `real crime points`, points: crimePoints() },
  ];
  console.log(`\nlookup speed (node ${process.version}; index vs brute force over every polygon, same points, same run)`);
  console.log('| boundaries | points | index points/s | brute force points/s | speed-up | results agree |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const layer of layers) {
    const built = performance.now();
    const index = new BoundaryIndex<BoundaryKey>(layer.features);
    const buildMs = performance.now() - built;
    const brute = new BruteForce<BoundaryKey>(layer.features);
    for (const set of pointSets) {
      rate((x, y) => index.lookup(x, y), set.points, 300); // warm-up
      const fast = rate((x, y) => index.lookup(x, y), set.points, 2000);
      // Brute force is slow: measure it on the first 2,000 points.
      const subset = set.points.subarray(0, 4000);
      const slow = rate((x, y) => brute.lookup(x, y), subset, 2000);
      const agree = slow.results.every((value, i) => value === fast.results[i]);
      console.log(`| ${layer.name} (built in ${buildMs.toFixed(0)} ms) | ${set.name} (${fmt(set.points.length / 2)}) | ${fmt(fast.perSecond)} | ${fmt(slow.perSecond)} | ${(fast.perSecond / slow.perSecond).toFixed(0)}x | ${agree ? 'yes' : 'NO'} |`);
    }
  }
  const zip = new BoundaryIndex<BoundaryKey>(layers[0]!.features);
  const area = new BoundaryIndex<BoundaryKey>(layers[1]!.features);
  const both = rate((x, y) => (zip.lookup(x, y), area.lookup(x, y)), pointSets[0]!.points, 2000);
  console.log(`\nboth layers per point (what enriching one row costs): ${fmt(both.perSecond)} points/s (target >= 200,000)`);
}

async function benchRecompute(): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: SERVER_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE ${BENCH_DB}`);
  await admin.destroy();
  const url = new URL(SERVER_URL);
  url.pathname = `/${BENCH_DB}`;
  const db = await connect({ databaseUrl: url.toString(), poolMax: 2 });
  try {
    await migrateLatest(db.knex);
    for (const dataset of [zipCodes, communityAreas]) await loadSample(db.knex, dataset, silentLogger);
    const filled = performance.now();
    // Synthetic crimes spread over the Chicago bounding box (some outside every area, 1% without coordinates).
    await db.knex.raw(
      `INSERT INTO data.crimes (id, date, primary_type, latitude, longitude, _source_id, _row_id, _updated_at)
       SELECT g, timestamp '2014-01-01' + g * interval '1 minute', 'THEFT',
              CASE WHEN g % 100 = 0 THEN NULL ELSE ${CHICAGO.minLat} + random() * ${CHICAGO.maxLat - CHICAGO.minLat} END,
              CASE WHEN g % 100 = 0 THEN NULL ELSE ${CHICAGO.minLon} + random() * ${CHICAGO.maxLon - CHICAGO.minLon} END,
              'ijzp-q8t2', 'row-' || g, now()
       FROM generate_series(1, ?) AS g`,
      [ROWS],
    );
    await db.knex.raw('VACUUM ANALYZE data.crimes');
    console.log(`recompute on PostgreSQL (${fmt(ROWS)} synthetic crimes inserted in ${((performance.now() - filled) / 1000).toFixed(1)} s)`);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    let peakRss = 0;
    let peakHeap = 0;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }, 20);
    const before = process.memoryUsage();
    console.log(`before the runs: RSS ${mib(before.rss)}, heap used ${mib(before.heapUsed)} (pages of 5,000 rows are read one at a time)`);
    console.log('| run | rows checked | rows written | seconds | rows/s | peak RSS | peak heap used |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const run of ['first (every row new)', 'second (nothing changed)']) {
      peakRss = 0;
      peakHeap = 0;
      const started = performance.now();
      const [summary] = await recomputeEnrichment(db, [crimes], { batchSize: 5000 });
      const seconds = (performance.now() - started) / 1000;
      console.log(`| ${run} | ${fmt(summary!.scanned)} | ${fmt(summary!.updated)} | ${seconds.toFixed(1)} | ${fmt(summary!.scanned / seconds)} | ${mib(peakRss)} | ${mib(peakHeap)} |`);
    }
    clearInterval(sampler);
  } finally {
    await db.close();
    const cleanup = knexFactory({ client: 'pg', connection: SERVER_URL, pool: { min: 0, max: 1 } });
    await cleanup.raw(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await cleanup.destroy();
  }
}

// The recompute runs first, so its memory figures start from a small process.
if (!SKIP_DB) await benchRecompute();
benchLookups();
