import Flatbush from 'flatbush';
import { polygonsOf } from './geojson.js';
import { PreparedPolygon } from './prepared-polygon.js';

export type BoundaryKey = string | number;

/** One boundary feature: its key (a ZIP, a community area number) and its GeoJSON geometry. */
export interface BoundaryFeature<K extends BoundaryKey> {
  readonly key: K;
  readonly geometry: unknown;
}

/**
 * Answers "which area contains this point?" for a set of boundary features.
 *
 * Features that share a key are one area: a ZIP drawn as two features (60643, 60707) is one ZIP.
 * A flatbush R-tree over every polygon's bounding box finds the few candidates; each candidate
 * gets an exact even-odd test (MultiPolygons and holes included).
 *
 * The rule for points exactly on a boundary (one stable answer):
 * - a polygon contains the points on its west and south edges, not those on its east and north
 *   edges (half-open ray casting, see PreparedPolygon). A point on an edge shared by two areas
 *   belongs to the area east of it, or north of it on an east-west edge: the area that holds the
 *   point moved an infinitesimal step east (then north). A shared corner goes to the area to its
 *   north-east. A point on the outer east or north edge of all areas is outside (NULL).
 * - should areas overlap (a data error), the lowest key among them wins, whatever the index order.
 *
 * A point with a missing, non-numeric or out-of-range coordinate is NULL, as is a point outside
 * every area.
 */
export class BoundaryIndex<K extends BoundaryKey> {
  private readonly polygons: PreparedPolygon[] = [];
  private readonly polygonKeys: K[] = [];
  private readonly tree: Flatbush | null;
  readonly keys: ReadonlySet<K>;

  constructor(features: Iterable<BoundaryFeature<K>>) {
    const keys = new Set<K>();
    for (const feature of features) {
      keys.add(feature.key);
      let rings;
      try {
        rings = polygonsOf(feature.geometry);
      } catch (error) {
        throw new Error(`boundary ${JSON.stringify(feature.key)}: ${(error as Error).message}`);
      }
      for (const polygon of rings) {
        this.polygons.push(new PreparedPolygon(polygon));
        this.polygonKeys.push(feature.key);
      }
    }
    this.keys = keys;
    if (this.polygons.length === 0) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(this.polygons.length);
    for (const polygon of this.polygons) tree.add(polygon.minX, polygon.minY, polygon.maxX, polygon.maxY);
    tree.finish();
    this.tree = tree;
  }

  // The point being looked up and the best key so far, read by `visit`: one filter function for
  // every lookup instead of a new closure per point (lookups run millions of times).
  private x = 0;
  private y = 0;
  private best: K | null = null;
  private readonly visit = (id: number): boolean => {
    const key = this.polygonKeys[id]!;
    if ((this.best === null || key < this.best) && this.polygons[id]!.contains(this.x, this.y)) this.best = key;
    return false;
  };

  /** The key of the area containing (lon, lat), or null. */
  lookup(lon: unknown, lat: unknown): K | null {
    if (!this.tree || !isCoordinate(lon, 180) || !isCoordinate(lat, 90)) return null;
    this.x = lon;
    this.y = lat;
    this.best = null;
    this.tree.search(lon, lat, lon, lat, this.visit);
    return this.best;
  }
}

function isCoordinate(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= -limit && value <= limit;
}
