import type { ColumnType } from '../../core/datasets/index.js';
import type { SpecObject } from './parts.js';

/**
 * The JSON Schema of a served value of each column type. A column outside the primary key may be
 * NULL; timestamps refer to the shared `LocalDateTime` (floating, Chicago) and `Instant` schemas.
 */
export function valueSchema(type: ColumnType, nullable: boolean): SpecObject {
  const wrap = (schema: SpecObject) => (nullable ? { oneOf: [schema, { type: 'null' }] } : schema);
  switch (type) {
    case 'text':
      return { type: nullable ? ['string', 'null'] : 'string' };
    case 'integer':
    case 'bigint':
      return { type: nullable ? ['integer', 'null'] : 'integer' };
    case 'numeric':
    case 'double':
      return { type: nullable ? ['number', 'null'] : 'number' };
    case 'boolean':
      return { type: nullable ? ['boolean', 'null'] : 'boolean' };
    case 'timestamp':
      return wrap({ $ref: '#/components/schemas/LocalDateTime' });
    case 'timestamptz':
      return wrap({ $ref: '#/components/schemas/Instant' });
    case 'date':
      return { type: nullable ? ['string', 'null'] : 'string', format: 'date' };
    case 'geometry':
      return { type: nullable ? ['object', 'null'] : 'object', description: 'GeoJSON geometry (WGS84).' };
  }
}

/** The item schema of an equality filter on a column of this type (`?ward=1,2`). */
export function filterItems(type: ColumnType): SpecObject {
  if (type === 'integer' || type === 'bigint') return { type: 'integer' };
  if (type === 'numeric' || type === 'double') return { type: 'number' };
  if (type === 'boolean') return { type: 'boolean' };
  return { type: 'string', minLength: 1, maxLength: 200 };
}
