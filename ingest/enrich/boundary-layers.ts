import type { Knex } from 'knex';
import { communityAreas } from '../../core/datasets/community-areas.js';
import { GEO_COLUMNS, type DatasetDefinition } from '../../core/datasets/index.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import type { Logger } from '../../core/log.js';
import type { BoundaryFeature, BoundaryKey } from '../../core/geo/boundary-index.js';
import { polygonsOf } from '../../core/geo/geojson.js';

/** A boundary dataset and the geo column it fills on every dataset with a point. */
export interface BoundaryLayer<K extends BoundaryKey> {
  readonly dataset: DatasetDefinition;
  /** The column whose value a point receives (`zip`, `area_numbe`); features sharing it are one area. */
  readonly keyColumn: string;
  /** The column set on enriched rows. */
  readonly geoColumn: string;
  /** Key as stored in the geo column (text ZIP, integer area number). */
  readonly keyOf: (value: unknown) => K;
}

export const ZIP_LAYER: BoundaryLayer<string> = {
  dataset: zipCodes,
  keyColumn: 'zip',
  geoColumn: GEO_COLUMNS.zip,
  keyOf: (value) => String(value),
};

export const COMMUNITY_AREA_LAYER: BoundaryLayer<number> = {
  dataset: communityAreas,
  keyColumn: 'area_numbe',
  geoColumn: GEO_COLUMNS.communityArea,
  keyOf: (value) => Number(value),
};

export const BOUNDARY_LAYERS = [ZIP_LAYER, COMMUNITY_AREA_LAYER] as const;

export function isBoundaryDataset(dataset: DatasetDefinition): boolean {
  return BOUNDARY_LAYERS.some((layer) => layer.dataset.key === dataset.key);
}

/**
 * A layer's features from its table in the database (what the last sync stored). Features
 * without a key or geometry cannot answer a lookup and are left out; so is a feature whose
 * geometry is not a (Multi)Polygon, with a warning, rather than stopping every sync.
 */
export async function loadBoundaryFeatures<K extends BoundaryKey>(knex: Knex, layer: BoundaryLayer<K>, log?: Logger): Promise<BoundaryFeature<K>[]> {
  const geometryColumn = layer.dataset.geometryColumn!;
  const rows = (await knex(`data.${layer.dataset.table}`)
    .select({ key: layer.keyColumn, geometry: geometryColumn })
    .whereNotNull(layer.keyColumn)
    .whereNotNull(geometryColumn)) as { key: unknown; geometry: unknown }[];
  const features: BoundaryFeature<K>[] = [];
  for (const row of rows) {
    try {
      polygonsOf(row.geometry);
    } catch (error) {
      log?.warn({ dataset: layer.dataset.key, key: row.key }, `boundary left out: ${(error as Error).message}`);
      continue;
    }
    features.push({ key: layer.keyOf(row.key), geometry: row.geometry });
  }
  return features;
}
