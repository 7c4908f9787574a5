import type { DatasetDefinition } from '../../core/datasets/index.js';
import { ident } from '../../core/db/sql-ident.js';

export function tableOf(dataset: DatasetDefinition): string {
  return `data.${ident(dataset.table)}`;
}

/** The primary key of a row as `text[]`, the same expression wherever keys are compared. */
export function keyArray(dataset: DatasetDefinition, alias: string): string {
  return `ARRAY[${dataset.primaryKey.map((column) => `${alias}.${ident(column)}::text`).join(', ')}]`;
}
