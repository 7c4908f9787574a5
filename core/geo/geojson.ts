/** The GeoJSON shapes a boundary can have. Coordinates are `[longitude, latitude]`. */
export type Position = readonly number[];
export type Ring = readonly Position[];
/** One polygon: the outer ring first, then its holes. */
export type PolygonRings = readonly Ring[];

export interface PolygonGeometry {
  readonly type: 'Polygon';
  readonly coordinates: PolygonRings;
}

export interface MultiPolygonGeometry {
  readonly type: 'MultiPolygon';
  readonly coordinates: readonly PolygonRings[];
}

export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/**
 * The polygons of a Polygon or MultiPolygon (as an object or its JSON text). Anything else is an
 * error rather than an empty area: a boundary that silently covers nothing would turn every
 * point in it into NULL.
 */
export function polygonsOf(geometry: unknown): PolygonRings[] {
  const value = typeof geometry === 'string' ? (JSON.parse(geometry) as unknown) : geometry;
  if (!value || typeof value !== 'object') throw new Error('expected a GeoJSON Polygon or MultiPolygon, got nothing');
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  if (type === 'Polygon') return [checkPolygon(coordinates)];
  if (type === 'MultiPolygon' && Array.isArray(coordinates)) return coordinates.map(checkPolygon);
  throw new Error(`expected a GeoJSON Polygon or MultiPolygon, got ${JSON.stringify(type ?? null)}`);
}

function checkPolygon(rings: unknown): PolygonRings {
  if (!Array.isArray(rings) || rings.length === 0) throw new Error('a polygon needs at least one ring');
  for (const ring of rings) {
    if (!Array.isArray(ring) || ring.length < 3) throw new Error('a polygon ring needs at least 3 positions');
    for (const position of ring) {
      if (!Array.isArray(position) || !Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
        throw new Error(`a polygon position must be [longitude, latitude], got ${JSON.stringify(position)}`);
      }
    }
  }
  return rings as PolygonRings;
}
