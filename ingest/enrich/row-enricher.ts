import type { Knex } from 'knex';
import { GEO_COLUMNS, type DatasetDefinition } from '../../core/datasets/index.js';
import type { Logger } from '../../core/log.js';
import type { BoundaryIndex } from '../../core/geo/boundary-index.js';
import { COMMUNITY_AREA_LAYER, loadBoundaryIndex, ZIP_LAYER } from './boundary-layers.js';

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
  private constructor(
    private zip: BoundaryIndex<string>,
    private communityArea: BoundaryIndex<number>,
  ) {}

  /** An enricher over the boundaries currently stored in the database. */
  static async load(knex: Knex, log?: Logger): Promise<RowEnricher> {
    const [zip, communityArea] = await Promise.all([loadBoundaryIndex(knex, ZIP_LAYER, log), loadBoundaryIndex(knex, COMMUNITY_AREA_LAYER, log)]);
    return new RowEnricher(zip, communityArea);
  }

  /** Re-reads the boundaries, after a boundary dataset changed. */
  async reload(knex: Knex, log?: Logger): Promise<void> {
    const fresh = await RowEnricher.load(knex, log);
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
