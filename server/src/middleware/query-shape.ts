import type { Request, RequestHandler } from 'express';
import { HttpProblem } from '../problems.js';
import { splitQueryOf, type SplitQueryString } from '../query-params.js';
import type { ParameterObject, SchemaObject, SpecOperation } from '../spec.js';

/** What this layer needs to know of one query parameter. */
interface ParameterShape {
  /** Comma-separated list (`style: form, explode: false`). */
  readonly list: boolean;
  /** Type of the value, or of each list item. */
  readonly type: string | undefined;
}

/** Whole numbers in decimal digits only: no `0x0C`, `1.2e1`, ` 12`, `Infinity` or `1e309`. */
const INTEGER = /^-?\d+$/;
/** Decimal numbers without exponent or hex: `-87.64`, `41`, `.5`. */
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Puts the query string in one canonical form before the spec validator and the handlers read it,
 * and refuses the shapes that either would misread:
 * - `+` means a space (HTML form encoding), as every browser form sends it;
 * - whitespace around the items of a comma-separated list is dropped (`THEFT, BATTERY`);
 * - integers and numbers are decimal digits only. `Number()` (which the validator uses) reads
 *   `0x0C`, `1.2e1` and ` 12` as 12, and `Infinity` and `1e309` as an unbounded limit;
 * - a bracketed name (`fields[a]=id`) is a 400: the validator's array parsing throws a TypeError
 *   on it, and this API has no object parameters.
 * The rewritten query replaces `req.url` and `req.originalUrl`, so the validator, the handlers,
 * the ETag and the `Link` header all read the same values.
 */
export function canonicalQuery(operations: readonly SpecOperation[]): RequestHandler {
  const byPath = new Map<string, Map<string, ParameterShape>>();
  for (const operation of operations) {
    if (operation.method !== 'get') continue;
    byPath.set(operation.path, new Map(operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => [parameter.name, shapeOf(parameter)])));
  }
  return (req, _res, next) => {
    const parameters = byPath.get(req.path);
    const split = parameters && splitQueryOf(req);
    if (!parameters || !split?.query) {
      next();
      return;
    }
    const canonical = canonicalize(split, parameters);
    if (canonical instanceof HttpProblem) {
      next(canonical);
      return;
    }
    if (canonical !== split.query) rewriteQuery(req, canonical);
    next();
  };
}

function shapeOf(parameter: ParameterObject): ParameterShape {
  const schema = parameter.schema ?? {};
  const list = typeOf(schema) === 'array';
  return { list: list && parameter.explode === false, type: typeOf(list ? (schema.items ?? {}) : schema) };
}

function typeOf(schema: SchemaObject): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : (schema.type as string | undefined);
}

/** The canonical query string, or the problem with it. Pairs that cannot be decoded are left for the validator to refuse. */
function canonicalize(split: SplitQueryString, parameters: ReadonlyMap<string, ParameterShape>): string | HttpProblem {
  // What every SDK and docs request looks like: already canonical, only its numbers to check.
  const plain = split.unencoded ? plainCanonical(split, parameters) : undefined;
  if (plain !== undefined) return plain;
  const pairs: string[] = [];
  for (const pair of split.pairs) {
    if (pair.name === '' && !pair.hasValue) continue;
    const name = decode(pair.name);
    const value = decode(pair.value);
    if (name === undefined || value === undefined) {
      pairs.push(pair.hasValue ? `${pair.name}=${pair.value}` : pair.name);
      continue;
    }
    if (/[[\]]/.test(name)) {
      const shown = name.slice(0, 100);
      const message = 'is not a parameter: lists are comma-separated values (for example fields=id,date), never name[...]';
      return new HttpProblem(400, 'Bad Request', `${shown}: ${message}`, [{ name: shown, in: 'query', message }]);
    }
    const shape = parameters.get(name);
    if (!shape) {
      // Unknown names are the validator's to refuse, with its list of the known ones.
      pairs.push(`${encode(name)}=${encode(value)}`);
      continue;
    }
    const items = shape.list ? value.split(',').map((item) => item.trim()) : [value];
    const problem = checkNumbers(name, shape, items);
    if (problem) return problem;
    pairs.push(`${encode(name)}=${items.map(encode).join(',')}`);
  }
  return pairs.join('&');
}

/**
 * An unencoded query as canonicalize would write it, which is itself, or the problem with its
 * numbers. Undefined when canonicalize would write it otherwise, which the full path then does: it
 * drops empty pieces and writes `name=` for a bare name, and encodes a `,` or `=` in a name, an `=`
 * in a value, and a `,` in a value that is not a list.
 */
function plainCanonical(split: SplitQueryString, parameters: ReadonlyMap<string, ParameterShape>): string | HttpProblem | undefined {
  for (const { name, value, hasValue } of split.pairs) {
    if (name === '' || !hasValue || name.includes(',') || value.includes('=')) return undefined;
    const shape = parameters.get(name);
    if (!shape?.list && value.includes(',')) return undefined;
    if (!shape || (shape.type !== 'integer' && shape.type !== 'number')) continue;
    const problem = checkNumbers(name, shape, shape.list ? value.split(',') : [value]);
    if (problem) return problem;
  }
  return split.query;
}

function checkNumbers(name: string, shape: ParameterShape, items: readonly string[]): HttpProblem | undefined {
  if (shape.type === 'integer' && !items.every((item) => INTEGER.test(item))) {
    return HttpProblem.badParameter(name, 'must be a whole number written in decimal digits (for example 100)');
  }
  if (shape.type === 'number' && !items.every((item) => DECIMAL.test(item))) {
    return HttpProblem.badParameter(name, 'must be decimal numbers written in digits (for example -87.64), without exponent');
  }
  return undefined;
}

/** Form decoding: `+` is a space. Undefined for a malformed percent escape. */
function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** Percent-encodes all but RFC 3986's unreserved characters (encodeURIComponent leaves `!'()*`, which the validator counts as reserved). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function rewriteQuery(req: Request, query: string): void {
  const path = req.originalUrl.slice(0, req.originalUrl.indexOf('?'));
  req.originalUrl = query ? `${path}?${query}` : path;
  const urlPath = req.url.split('?')[0]!;
  req.url = query ? `${urlPath}?${query}` : urlPath;
}
