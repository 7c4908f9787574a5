import { describe, expect, it } from 'vitest';
import { readSodaFixture } from '../testing/fixtures.js';
import { BoundaryIndex } from '../geo/boundary-index.js';

/**
 * The index against the real Chicago boundaries and every real point in the fixtures, compared
 * with a deliberately naive reference: plain even-odd ray casting over every ring of every
 * feature, no index, no bands.
 */
type Ring = number[][];
type Feature<K> = { key: K; polygons: Ring[][] };

function ringContains(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!;
    const yi = ring[i]![1]!;
    const xj = ring[j]![0]!;
    const yj = ring[j]![1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Each polygon's extent, so the reference skips the ring walk for polygons far away (still every polygon). */
const extents = new WeakMap<Ring[], [number, number, number, number]>();
function extentOf(polygon: Ring[]): [number, number, number, number] {
  let extent = extents.get(polygon);
  if (!extent) {
    const xs = polygon[0]!.map((position) => position[0]!);
    const ys = polygon[0]!.map((position) => position[1]!);
    extent = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    extents.set(polygon, extent);
  }
  return extent;
}

function referenceKeys<K>(features: Feature<K>[], x: number, y: number): Set<K> {
  const keys = new Set<K>();
  for (const feature of features) {
    for (const polygon of feature.polygons) {
      const [minX, minY, maxX, maxY] = extentOf(polygon);
      if (x < minX || x > maxX || y < minY || y > maxY) continue;
      if (polygon.filter((ring) => ringContains(ring, x, y)).length % 2 === 1) keys.add(feature.key);
    }
  }
  return keys;
}

function onAnyEdge<K>(features: Feature<K>[], x: number, y: number): boolean {
  return features.some((feature) =>
    feature.polygons.some((polygon) =>
      polygon.some((ring) =>
        ring.some((a, i) => {
          const b = ring[(i + 1) % ring.length]!;
          const cross = (b[0]! - a[0]!) * (y - a[1]!) - (b[1]! - a[1]!) * (x - a[0]!);
          return cross === 0 && x >= Math.min(a[0]!, b[0]!) && x <= Math.max(a[0]!, b[0]!) && y >= Math.min(a[1]!, b[1]!) && y <= Math.max(a[1]!, b[1]!);
        }),
      ),
    ),
  );
}

function featuresOf<K>(portalId: string, keyOf: (row: Record<string, unknown>) => K): Feature<K>[] {
  return readSodaFixture(portalId).map((row) => {
    const geometry = row.the_geom as { type: string; coordinates: Ring[][] };
    expect(geometry.type).toBe('MultiPolygon');
    return { key: keyOf(row), polygons: geometry.coordinates };
  });
}

const zipFeatures = featuresOf('gdcf-axmw', (row) => String(row.zip));
const areaFeatures = featuresOf('igwz-8jzy', (row) => Number(row.area_numbe));
const zips = new BoundaryIndex(zipFeatures.map(({ key }, i) => ({ key, geometry: readSodaFixture('gdcf-axmw')[i]!.the_geom })));
const areas = new BoundaryIndex(areaFeatures.map(({ key }, i) => ({ key, geometry: readSodaFixture('igwz-8jzy')[i]!.the_geom })));

interface FixturePoint {
  readonly source: string;
  readonly row: Record<string, unknown>;
  readonly lon: number;
  readonly lat: number;
}

/** Both spellings of each row's point (`latitude`/`longitude` and the `location` Point), when they differ. */
function pointsOf(portalId: string): FixturePoint[] {
  const points: FixturePoint[] = [];
  for (const row of readSodaFixture(portalId)) {
    const location = row.location as { coordinates?: [number, number] } | undefined;
    const columns = row.latitude === undefined ? null : { lon: Number(row.longitude), lat: Number(row.latitude) };
    if (columns) points.push({ source: portalId, row, ...columns });
    if (location?.coordinates && (location.coordinates[0] !== columns?.lon || location.coordinates[1] !== columns?.lat)) {
      points.push({ source: portalId, row, lon: location.coordinates[0], lat: location.coordinates[1] });
    }
  }
  return points;
}

const FIXTURES = ['ijzp-q8t2', 'r5kz-chrr', '4ijn-s7e5'];

describe('boundary lookup on the real fixtures', () => {
  it('has 59 ZIPs (61 features) and 77 community areas', () => {
    expect(zips.keys.size).toBe(59);
    expect(zipFeatures.length).toBe(61);
    expect(areas.keys.size).toBe(77);
  });

  it.each(FIXTURES)('agrees with brute-force ray casting on every point of %s', (portalId) => {
    const points = pointsOf(portalId);
    expect(points.length).toBeGreaterThan(500);
    let compared = 0;
    const mismatches: unknown[] = [];
    for (const layer of [
      { index: zips as BoundaryIndex<string | number>, features: zipFeatures as Feature<string | number>[] },
      { index: areas as BoundaryIndex<string | number>, features: areaFeatures as Feature<string | number>[] },
    ]) {
      for (const point of points) {
        const expected = [...referenceKeys(layer.features, point.lon, point.lat)];
        const got = layer.index.lookup(point.lon, point.lat);
        // A point exactly on an edge may legitimately differ (the index has its own edge rule).
        if (got !== (expected[0] ?? null) && onAnyEdge(layer.features, point.lon, point.lat)) continue;
        // No real point lies in two areas of one layer (if one did, the rule is "lowest key").
        if (expected.length > 1 || got !== (expected[0] ?? null)) mismatches.push({ lon: point.lon, lat: point.lat, got, expected });
        compared++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(points.length * 2);
  });

  it('gives NULL to the rows without coordinates, never a neighbour value', () => {
    const crimes = readSodaFixture('ijzp-q8t2');
    const without = crimes.filter((row) => row.latitude === undefined);
    expect(without.length).toBe(73);
    for (const row of without) {
      expect(zips.lookup(row.longitude, row.latitude)).toBeNull();
      expect(areas.lookup(row.longitude, row.latitude)).toBeNull();
    }
  });

  it('puts the known outside points (Navy Pier, 2130 N Harlem, O’Hare) outside every ZIP', () => {
    const licenses = pointsOf('r5kz-chrr');
    for (const address of ['700 E GRAND AVE', '2130 N HARLEM AVE']) {
      const points = licenses.filter((point) => String(point.row.address).replace(/\s+/g, ' ').trim() === address);
      expect(points.length, address).toBeGreaterThan(0);
      for (const point of points) expect(zips.lookup(point.lon, point.lat), address).toBeNull();
    }
    const ohare = pointsOf('4ijn-s7e5').filter((point) => String(point.row.address).startsWith('11601 W TOUHY'));
    expect(new Set(ohare.map((point) => point.row.inspection_id)).size).toBe(6);
    for (const point of ohare) {
      expect(zips.lookup(point.lon, point.lat)).toBeNull();
      expect(areas.lookup(point.lon, point.lat)).toBeNull();
    }
  });

  it.each([
    { layer: 'ZIP codes', portalId: 'gdcf-axmw', features: zipFeatures as Feature<string | number>[] },
    { layer: 'community areas', portalId: 'igwz-8jzy', features: areaFeatures },
  ])('gives every point exactly on a vertex shared by $layer one stable answer', ({ portalId, features }) => {
    // Vertices where two or more areas meet are exactly on their boundaries: the edge rule decides.
    const owners = new Map<string, Set<string | number>>();
    for (const feature of features) {
      for (const ring of feature.polygons.flat()) {
        for (const [x, y] of ring) {
          const at = `${x},${y}`;
          owners.set(at, (owners.get(at) ?? new Set()).add(feature.key));
        }
      }
    }
    const rows = readSodaFixture(portalId);
    const keyColumn = portalId === 'gdcf-axmw' ? 'zip' : 'area_numbe';
    const forward = new BoundaryIndex(rows.map((row, i) => ({ key: features[i]!.key, geometry: row.the_geom })));
    const backward = new BoundaryIndex(rows.map((row, i) => ({ key: features[i]!.key, geometry: row.the_geom })).reverse());
    expect(rows.map((row) => String(row[keyColumn]))).toEqual(features.map((feature) => String(feature.key)));
    let shared = 0;
    const wrong: unknown[] = [];
    for (const [at, keys] of owners) {
      if (keys.size < 2) continue;
      shared++;
      const [x, y] = at.split(',').map(Number) as [number, number];
      const got = forward.lookup(x, y);
      if (backward.lookup(x, y) !== got) wrong.push({ at, keys: [...keys], got, reversed: backward.lookup(x, y) });
      // One of the areas meeting there, NULL on the city's outer edge, or (two ZIP vertices) an
      // area that overlaps the vertex in the portal's data.
      if (got !== null && !keys.has(got) && !referenceKeys(features, x, y).has(got)) wrong.push({ at, keys: [...keys], got });
    }
    expect(shared).toBeGreaterThan(10_000);
    expect(wrong).toEqual([]);
  });

  it.each([
    { name: 'the 60655 enclave', features: zipFeatures as Feature<string | number>[], index: zips as BoundaryIndex<string | number>, key: '60655' as string | number },
    { name: 'the Norridge/Harwood Heights hole of community area 10', features: areaFeatures, index: areas, key: 10 },
  ])('leaves $name out of its area', ({ features, index, key }) => {
    const feature = features.find((item) => item.key === key)!;
    const [outer, hole] = feature.polygons.find((polygon) => polygon.length > 1)!;
    // A grid point strictly inside the hole ring, hence inside the outer ring too.
    const xs = hole!.map((position) => position[0]!);
    const ys = hole!.map((position) => position[1]!);
    const inHole: [number, number][] = [];
    for (let i = 1; i < 20; i++) {
      for (let j = 1; j < 20; j++) {
        const x = Math.min(...xs) + ((Math.max(...xs) - Math.min(...xs)) * i) / 20;
        const y = Math.min(...ys) + ((Math.max(...ys) - Math.min(...ys)) * j) / 20;
        if (ringContains(hole!, x, y) && ringContains(outer!, x, y)) inHole.push([x, y]);
      }
    }
    expect(inHole.length).toBeGreaterThan(10);
    for (const [x, y] of inHole) expect(index.lookup(x, y)).not.toBe(key);
  });

  it('reports how often the food inspections’ address ZIP matches the computed ZIP (insight, not a bar)', () => {
    const rows = readSodaFixture('4ijn-s7e5').filter((row) => row.zip !== undefined && row.latitude !== undefined);
    const pairs = rows.map((row) => ({ address: String(row.zip), computed: zips.lookup(Number(row.longitude), Number(row.latitude)) }));
    const agree = pairs.filter((pair) => pair.address === pair.computed).length;
    const disagreements = new Map<string, number>();
    for (const pair of pairs) {
      if (pair.address === pair.computed) continue;
      const label = `${pair.address} -> ${pair.computed ?? 'outside every ZIP'}`;
      disagreements.set(label, (disagreements.get(label) ?? 0) + 1);
    }
    const top = [...disagreements].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(
      `food inspections: address ZIP = computed ZIP for ${agree}/${pairs.length} (${((100 * agree) / pairs.length).toFixed(1)}%)\n` +
        top.map(([label, count]) => `  ${String(count).padStart(3)}  address ${label}`).join('\n'),
    );
    expect(pairs.length).toBe(556);
    expect(disagreements.get('60666 -> outside every ZIP')).toBe(6);
  });
});
