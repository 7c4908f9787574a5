import type { PolygonRings } from './geojson.js';

/**
 * One polygon (outer ring plus holes) prepared for fast, exact point-in-polygon tests.
 *
 * The test is even-odd ray casting over every ring, so holes are excluded without knowing which
 * ring is which. It is half-open: an edge counts when `y1 <= y < y2` and the point lies strictly
 * west of it. A polygon therefore contains the points on its west and south edges but not those
 * on its east and north edges, and two polygons that share an edge never both claim a point on
 * it. Each edge is stored with its lower end first, so a shared edge gives the same crossing
 * arithmetic in both polygons whichever way their rings run.
 *
 * Edges are bucketed into horizontal bands, so a test reads only the edges whose y-range meets
 * the point's band instead of every edge (Chicago's ZIP polygons have hundreds to thousands).
 */
export class PreparedPolygon {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Per edge: x at the lower end, lower y, upper y, dx/dy. */
  private readonly edges: Float64Array;
  /** Edges of band b are `bandEdges[bandStart[b] .. bandStart[b + 1])`. */
  private readonly bandStart: Int32Array;
  private readonly bandEdges: Int32Array;
  private readonly bandScale: number;
  private readonly bandCount: number;

  constructor(rings: PolygonRings) {
    const edges: number[] = [];
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const ring of rings) {
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[(i + 1) % ring.length]!;
        const ax = a[0]!;
        const ay = a[1]!;
        minX = Math.min(minX, ax);
        maxX = Math.max(maxX, ax);
        minY = Math.min(minY, ay);
        maxY = Math.max(maxY, ay);
        const bx = b[0]!;
        const by = b[1]!;
        // A horizontal edge is never crossed by a horizontal ray under the half-open rule.
        if (ay === by) continue;
        const [lowX, lowY, highX, highY] = ay < by ? [ax, ay, bx, by] : [bx, by, ax, ay];
        edges.push(lowX, lowY, highY, (highX - lowX) / (highY - lowY));
      }
    }
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    this.edges = Float64Array.from(edges);

    const edgeCount = edges.length / 4;
    // About four edges per band keeps the lists short without making the table large.
    this.bandCount = Math.max(1, Math.min(4096, Math.ceil(edgeCount / 4)));
    this.bandScale = maxY > minY ? this.bandCount / (maxY - minY) : 0;
    const counts = new Int32Array(this.bandCount + 1);
    for (let e = 0; e < edgeCount; e++) {
      const last = this.bandOf(edges[e * 4 + 2]!);
      for (let band = this.bandOf(edges[e * 4 + 1]!); band <= last; band++) counts[band + 1]!++;
    }
    for (let band = 0; band < this.bandCount; band++) counts[band + 1]! += counts[band]!;
    this.bandStart = counts.slice();
    this.bandEdges = new Int32Array(counts[this.bandCount]!);
    for (let e = 0; e < edgeCount; e++) {
      const last = this.bandOf(edges[e * 4 + 2]!);
      for (let band = this.bandOf(edges[e * 4 + 1]!); band <= last; band++) this.bandEdges[counts[band]!++] = e;
    }
  }

  /** Monotonic in y, so an edge spanning [y1, y2] is listed in every band a y inside it maps to. */
  private bandOf(y: number): number {
    const band = Math.floor((y - this.minY) * this.bandScale);
    return band < 0 ? 0 : band >= this.bandCount ? this.bandCount - 1 : band;
  }

  contains(x: number, y: number): boolean {
    if (x < this.minX || x > this.maxX || y < this.minY || y > this.maxY) return false;
    const edges = this.edges;
    const list = this.bandEdges;
    const band = this.bandOf(y);
    let inside = false;
    for (let i = this.bandStart[band]!, end = this.bandStart[band + 1]!; i < end; i++) {
      const e = list[i]! * 4;
      const lowY = edges[e + 1]!;
      if (y < lowY || y >= edges[e + 2]!) continue;
      if (x < edges[e]! + (y - lowY) * edges[e + 3]!) inside = !inside;
    }
    return inside;
  }
}
