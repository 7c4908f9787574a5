import type { Knex } from 'knex';
import { GEO_COLUMNS, type DatasetDefinition } from '../../core/datasets/index.js';
import type { Logger } from '../../core/log.js';
import { BoundaryIndex, type BoundaryFeature } from '../../core/geo/boundary-index.js';
import { COMMUNITY_AREA_LAYER, loadBoundaryFeatures, ZIP_LAYER } from './boundary-layers.js';

/** The features an enricher answers from. */
export interface GeoBoundaries {
  readonly zip: readonly BoundaryFeature<string>[];
  readonly communityArea: readonly BoundaryFeature<number>[];
}

export interface GeoValues {
  readonly zip: string | null;
  readonly communityArea: number | null;
}

/**
 * Sets `geo_zip` and `geo_community_area` on mapped rows as they are ingested, from the row's own
 * latitude/longitude only: a row without usable coordinates gets NULL, never another row's area.
 * The portal's own columns (an address `zip_code`, `community_area`) are left as they are.
 */
export class RowEnricher {
  private zip: BoundaryIndex<string>;
  private communityArea: BoundaryIndex<number>;

  private constructor(private features: GeoBoundaries) {
    this.zip = new BoundaryIndex(features.zip);
    this.communityArea = new BoundaryIndex(features.communityArea);
  }

  /** An enricher over the boundaries currently stored in the database. */
  static async load(knex: Knex, log?: Logger): Promise<RowEnricher> {
    const [zip, communityArea] = await Promise.all([loadBoundaryFeatures(knex, ZIP_LAYER, log), loadBoundaryFeatures(knex, COMMUNITY_AREA_LAYER, log)]);
    return new RowEnricher({ zip, communityArea });
  }

  /** The same enricher from `boundaries()` of another, e.g. in the sync's decoding thread. */
  static fromBoundaries(features: GeoBoundaries): RowEnricher {
    return new RowEnricher(features);
  }

  /** The boundaries as plain data (structured-clonable), to build the same enricher elsewhere. */
  boundaries(): GeoBoundaries {
    return this.features;
  }

  /** Re-reads the boundaries, after a boundary dataset changed. */
  async reload(knex: Knex, log?: Logger): Promise<void> {
    const fresh = await RowEnricher.load(knex, log);
    this.features = fresh.features;
    this.zip = fresh.zip;
    this.communityArea = fresh.communityArea;
  }

  /** Whether any boundary is loaded; without them every geo value would be NULL. */
  get hasBoundaries(): boolean {
    return this.zip.keys.size > 0 || this.communityArea.keys.size > 0;
  }

  geoValues(longitude: unknown, latitude: unknown): GeoValues {
    return { zip: this.zip.lookup(longitude, latitude), communityArea: this.communityArea.lookup(longitude, latitude) };
  }

  /** Fills the geo columns of one mapped row of `dataset` in place; datasets without a point are untouched. */
  enrich(dataset: DatasetDefinition, values: Record<string, unknown>): void {
    if (!dataset.point) return;
    const geo = this.geoValues(coordinate(values[dataset.point.longitude]), coordinate(values[dataset.point.latitude]));
    values[GEO_COLUMNS.zip] = geo.zip;
    values[GEO_COLUMNS.communityArea] = geo.communityArea;
  }
}

/** A `numeric` column arrives from mapSodaRow as decimal text; anything unusable stays unusable. */
function coordinate(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
}
