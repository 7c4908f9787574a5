/** Building SoQL text: literals are quoted once, here. */

export function soqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The position of the last row read, in the stable order `:updated_at, :id`. */
export interface Watermark {
  readonly updatedAt: string;
  readonly rowId: string;
}

/** Rows strictly after the watermark in `:updated_at, :id` order: the keyset continuation. */
export function afterWatermark(watermark: Watermark): string {
  const at = soqlString(watermark.updatedAt);
  return `(:updated_at > ${at} OR (:updated_at = ${at} AND :id > ${soqlString(watermark.rowId)}))`;
}

export function allOf(conditions: readonly (string | undefined)[]): string | undefined {
  const present = conditions.filter((condition): condition is string => Boolean(condition));
  return present.length ? present.join(' AND ') : undefined;
}

export const STABLE_ORDER = ':updated_at ASC, :id ASC';
