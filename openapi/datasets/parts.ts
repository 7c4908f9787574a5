import type { DatasetDefinition } from '../../core/datasets/index.js';

/** A piece of an OpenAPI document, as plain JSON values. */
export type SpecObject = Record<string, unknown>;

/**
 * What one operation contributes to the spec for one dataset. Each map is merged into the same
 * section of the composed document; a name that already exists there is an error (two datasets,
 * or a dataset and the hand-written base, must never define the same schema).
 */
export interface SpecParts {
  /** Path items, e.g. `{ '/v1/crimes': { get: {…} } }`. */
  readonly paths?: Readonly<Record<string, SpecObject>>;
  readonly parameters?: Readonly<Record<string, SpecObject>>;
  readonly responses?: Readonly<Record<string, SpecObject>>;
  readonly schemas?: Readonly<Record<string, SpecObject>>;
}

/**
 * One operation that every dataset (or every dataset that `appliesTo`) has, e.g. the list.
 * `parts` reads only the definition; the server serves the operation for the same datasets.
 */
export interface DatasetOperation {
  /** Short name, for messages: `list`. */
  readonly name: string;
  readonly appliesTo?: (dataset: DatasetDefinition) => boolean;
  readonly parts: (dataset: DatasetDefinition) => SpecParts;
}
