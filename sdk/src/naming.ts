/*
 * The facade's one naming rule: everything you pass is camelCase (`primaryType`), and is sent as
 * the API's snake_case parameter (`primary_type`); everything the server returns (rows, report
 * lines, `next_cursor`) is exactly what it sent, so a row from the SDK matches the JSON and CSV.
 */

/** `primary_type` → `primaryType`, at the type level. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** An object type with its keys camelCased; optionality and value types are kept. */
export type CamelKeys<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

/** `primaryType` → `primary_type`: the inverse of CamelCase for the API's lower snake_case names. */
export function toWireName(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Facade parameters → the generated client's query object. Undefined values and empty lists are
 * dropped (no filter, as the API reads an absent one); a single value of a list is sent as is,
 * which is how the API reads a one-element list.
 */
export function toWireQuery(params: object | undefined): Record<string, unknown> | undefined {
  if (!params) return undefined;
  const query: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    query[toWireName(name)] = value;
  }
  return query;
}
