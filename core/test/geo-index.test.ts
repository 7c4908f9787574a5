import { describe, expect, it } from 'vitest';
import { BoundaryIndex } from '../geo/boundary-index.js';

/** An axis-aligned square as a GeoJSON Polygon, counter-clockwise (or clockwise when asked). */
function square(x0: number, y0: number, size: number, clockwise = false) {
  const ring = [
    [x0, y0],
    [x0 + size, y0],
    [x0 + size, y0 + size],
    [x0, y0 + size],
    [x0, y0],
  ];
  return { type: 'Polygon', coordinates: [clockwise ? ring.reverse() : ring] };
}

// A 2 x 2 grid of unit squares: SW, SE, NW, NE; the NE square's ring runs the other way round.
const grid = new BoundaryIndex([
  { key: 'SW', geometry: square(0, 0, 1) },
  { key: 'SE', geometry: square(1, 0, 1) },
  { key: 'NW', geometry: square(0, 1, 1) },
  { key: 'NE', geometry: square(1, 1, 1, true) },
]);

describe('BoundaryIndex', () => {
  it('finds the area that contains a point', () => {
    expect(grid.lookup(0.5, 0.5)).toBe('SW');
    expect(grid.lookup(1.5, 0.5)).toBe('SE');
    expect(grid.lookup(0.5, 1.5)).toBe('NW');
    expect(grid.lookup(1.5, 1.5)).toBe('NE');
  });

  it('puts a point on a shared edge into the area east of it, or north of it on an east-west edge', () => {
    expect(grid.lookup(1, 0.5)).toBe('SE');
    expect(grid.lookup(1, 1.5)).toBe('NE');
    expect(grid.lookup(0.5, 1)).toBe('NW');
    expect(grid.lookup(1.5, 1)).toBe('NE');
    expect(grid.lookup(1, 1)).toBe('NE');
  });

  it('keeps the outer west and south edges and drops the outer east and north edges', () => {
    expect(grid.lookup(0, 0.5)).toBe('SW');
    expect(grid.lookup(0.5, 0)).toBe('SW');
    expect(grid.lookup(0, 0)).toBe('SW');
    expect(grid.lookup(2, 0.5)).toBeNull();
    expect(grid.lookup(0.5, 2)).toBeNull();
    expect(grid.lookup(2, 2)).toBeNull();
  });

  it('gives the same answer on a slanted shared edge whichever way the rings run', () => {
    const left = { type: 'Polygon', coordinates: [[[0, 0], [0.3, 0], [0.7, 1], [0, 1], [0, 0]]] };
    const right = { type: 'Polygon', coordinates: [[[0.3, 0], [1, 0], [1, 1], [0.7, 1], [0.3, 0]]] };
    const rightReversed = { type: 'Polygon', coordinates: [[...right.coordinates[0]!].reverse()] };
    for (const east of [right, rightReversed]) {
      const index = new BoundaryIndex([
        { key: 'west', geometry: left },
        { key: 'east', geometry: east },
      ]);
      for (let i = 1; i < 100; i++) {
        const y = i / 100;
        const x = 0.3 + 0.4 * y;
        // Exactly on the edge (as far as floating point goes) or not, the point has one owner.
        expect(['west', 'east']).toContain(index.lookup(x, y));
        expect(index.lookup(x - 1e-9, y)).toBe('west');
        expect(index.lookup(x + 1e-9, y)).toBe('east');
      }
    }
  });

  it('returns null outside every area', () => {
    expect(grid.lookup(-0.5, 0.5)).toBeNull();
    expect(grid.lookup(3, 3)).toBeNull();
  });

  it('returns null for missing, non-numeric, NaN and out-of-range coordinates', () => {
    const world = new BoundaryIndex([{ key: 1, geometry: square(-180, -90, 360) }]);
    expect(world.lookup(10, 10)).toBe(1);
    for (const [lon, lat] of [
      [null, 10],
      [10, undefined],
      [Number.NaN, 10],
      [10, Number.POSITIVE_INFINITY],
      ['10', 10],
      [181, 10],
      [10, -91],
    ]) {
      expect(world.lookup(lon, lat)).toBeNull();
    }
  });

  it('excludes holes and treats every polygon of a MultiPolygon as the area', () => {
    const donut = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
          [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
        ],
        [[[20, 0], [21, 0], [21, 1], [20, 1], [20, 0]]],
      ],
    };
    const index = new BoundaryIndex([
      { key: 'donut', geometry: donut },
      { key: 'enclave', geometry: square(4, 4, 2) },
    ]);
    expect(index.lookup(1, 1)).toBe('donut');
    expect(index.lookup(5, 5)).toBe('enclave');
    expect(index.lookup(20.5, 0.5)).toBe('donut');
    expect(index.lookup(15, 0.5)).toBeNull();
  });

  it('treats several features with one key as one area', () => {
    const index = new BoundaryIndex([
      { key: '60643', geometry: square(0, 0, 1) },
      { key: '60643', geometry: square(5, 5, 1) },
      { key: '60620', geometry: square(1, 0, 1) },
    ]);
    expect(index.keys.size).toBe(2);
    expect(index.lookup(0.5, 0.5)).toBe('60643');
    expect(index.lookup(5.5, 5.5)).toBe('60643');
  });

  it('gives overlapping areas to the lowest key, whatever the order of the features', () => {
    const features = [
      { key: 77, geometry: square(0, 0, 2) },
      { key: 8, geometry: square(1, 1, 2) },
      { key: 32, geometry: square(0.5, 0.5, 2) },
    ];
    for (const order of [features, [...features].reverse()]) {
      const index = new BoundaryIndex(order);
      expect(index.lookup(1.5, 1.5)).toBe(8);
      expect(index.lookup(0.7, 0.7)).toBe(32);
      expect(index.lookup(0.2, 0.2)).toBe(77);
    }
  });

  it('rejects a geometry that is not a polygon, naming the feature', () => {
    expect(() => new BoundaryIndex([{ key: '60601', geometry: { type: 'Point', coordinates: [0, 0] } }])).toThrow(/boundary "60601".*Point/);
    expect(() => new BoundaryIndex([{ key: 3, geometry: null }])).toThrow(/boundary 3/);
  });

  it('answers null everywhere when it has no boundaries', () => {
    expect(new BoundaryIndex([]).lookup(-87.6, 41.8)).toBeNull();
  });
});
