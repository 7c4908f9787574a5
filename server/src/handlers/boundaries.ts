import type { Response } from 'express';
import { polygonsOf, type PolygonRings } from '../../../core/geo/geojson.js';
import type { AppDeps } from '../deps.js';
import { attachment } from '../download-name.js';
import { RESPONDED, type Handler } from '../operations.js';

const GEOJSON = 'application/geo+json';

interface BoundaryRow {
  readonly key: string | number;
  readonly name?: string | null;
  readonly geometry: unknown;
}

/**
 * One Feature per ZIP: the portal draws some ZIPs as several features (60643, 60707), and a
 * client colouring ZIPs wants each ZIP once, as lookups count it once.
 */
export function getZipCodeBoundaries({ db, log }: AppDeps): Handler<'getZipCodeBoundaries'> {
  return async ({ res }) => {
    const rows = (await db
      .knex('api.zip_codes')
      .select({ key: 'zip', geometry: 'the_geom' })
      .whereNotNull('zip')
      .whereNotNull('the_geom')
      .orderBy(['zip', 'objectid'])) as BoundaryRow[];
    const byZip = new Map<string, PolygonRings[]>();
    for (const row of rows) {
      const zip = String(row.key);
      const polygons = polygonsIn(row, log);
      if (polygons) byZip.set(zip, [...(byZip.get(zip) ?? []), ...polygons]);
    }
    const features = [...byZip].map(([zip, polygons]) => feature(zip, polygons, { zip }));
    return send(res, 'zip-codes', features);
  };
}

export function getCommunityAreaBoundaries({ db, log }: AppDeps): Handler<'getCommunityAreaBoundaries'> {
  return async ({ res }) => {
    const rows = (await db
      .knex('api.community_areas')
      .select({ key: 'area_numbe', name: 'community', geometry: 'the_geom' })
      .whereNotNull('the_geom')
      .orderBy('area_numbe')) as BoundaryRow[];
    const features = rows.flatMap((row) => {
      const polygons = polygonsIn(row, log);
      return polygons ? [feature(Number(row.key), polygons, { community_area: Number(row.key), community: row.name ?? null })] : [];
    });
    return send(res, 'community-areas', features);
  };
}

/** A stored geometry that is not a (Multi)Polygon is left out (and logged), as enrichment leaves it out. */
function polygonsIn(row: BoundaryRow, log: AppDeps['log']): PolygonRings[] | null {
  try {
    return polygonsOf(row.geometry);
  } catch (error) {
    log.warn({ key: row.key }, `boundary left out: ${(error as Error).message}`);
    return null;
  }
}

function feature(id: string | number, polygons: PolygonRings[], properties: Record<string, unknown>) {
  return { type: 'Feature', id, geometry: { type: 'MultiPolygon', coordinates: polygons }, properties };
}

/** `res.json` after setting the type keeps `application/geo+json` and lets the validator check the body. */
function send(res: Response, name: string, features: unknown[]): typeof RESPONDED {
  res.setHeader('Content-Disposition', attachment(name, 'geojson'));
  res.type(GEOJSON).json({ type: 'FeatureCollection', features });
  return RESPONDED;
}
