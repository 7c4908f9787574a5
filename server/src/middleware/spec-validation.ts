import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { Router, type Request, type RequestHandler } from 'express';
import { splitQueryOf, type QueryPair } from '../query-params.js';
import type { ParameterObject, SchemaObject, SpecOperation } from '../spec.js';

/**
 * Request validation against the spec, with one route table and one compiled validator per
 * operation, built once per process from openapi/lakefront.yaml.
 *
 * express-openapi-validator spent 0.10-0.16 ms of CPU on every request (README, "Read API"): it
 * looks the route up by compiling every path's regular expression, builds a parameter mutator and
 * re-reads the operation's parameters, per request. Here a request whose query is plainly valid
 * is checked with a Map lookup, the query's pieces (split once for every layer, query-params.ts)
 * and the operation's compiled JSON Schema, and goes on. Anything else (an error, a repeated
 * parameter, an odd encoding, a path written in another case, HEAD) goes through
 * express-openapi-validator exactly as before, so every refusal keeps its wording. The fast check only ever accepts what the validator accepts:
 * the same JSON Schema engine (Ajv, draft 2020-12 for OpenAPI 3.1, types coerced), the same
 * splitting of comma-separated lists, the same refusals of unknown, empty and unencoded values;
 * an operation whose parameters use a keyword outside `CHECKED_KEYWORDS` gets no fast check.
 */
export function validateAgainstSpec(operations: readonly SpecOperation[], validator: RequestHandler | RequestHandler[]): RequestHandler {
  const plainlyValid = plainlyValidRequests(operations);
  const fullValidation = Router();
  fullValidation.use(validator);
  return (req, res, next) => {
    if (plainlyValid(req)) next();
    else fullValidation(req, res, next);
  };
}

/**
 * The fast check alone: true when the request is a GET on a spec path, written as the spec writes
 * it, whose query is certainly valid for the operation (see validateAgainstSpec). False says
 * nothing: such a request needs express-openapi-validator's verdict.
 */
export function plainlyValidRequests(operations: readonly SpecOperation[]): (req: Request) => boolean {
  const routes = routeTable(operations);
  return (req) => {
    const route = req.method === 'GET' ? routes.get(req.path) : undefined;
    if (!route?.validate) return false;
    return accepts(route, splitQueryOf(req).pairs);
  };
}

interface FastParameter {
  /** A comma-separated list (an array without `explode`): split on commas before validation, as the validator does. */
  readonly list: boolean;
  /** Reserved characters are refused unless the spec allows them; commas too, except where the parameter is not exploded. */
  readonly reserved: RegExp | undefined;
}

interface Route {
  readonly parameters: ReadonlyMap<string, FastParameter>;
  /** The operation's query as one JSON Schema object; undefined when the fast check would not match the validator. */
  readonly validate: ValidateFunction | undefined;
}

/** RFC 3986's reserved characters: express-openapi-validator refuses them unencoded in a value unless `allowReserved`. */
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;
const RESERVED_BUT_COMMA = /[:/?#[\]@!$&'()*+;=]/;

/** Keywords the fast check evaluates exactly as the validator does (standard JSON Schema, no formats, no $ref). */
const CHECKED_KEYWORDS = new Set([
  'type', 'enum', 'const', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'items', 'default', 'description', 'title', 'example', 'examples',
]);

const compiled = new WeakMap<readonly SpecOperation[], Map<string, Route>>();

/** GET routes by exact path. Compiled once per list of operations: tests build many apps from the one spec. */
function routeTable(operations: readonly SpecOperation[]): Map<string, Route> {
  let routes = compiled.get(operations);
  if (routes) return routes;
  const ajv = new Ajv2020({ coerceTypes: true, strict: false });
  routes = new Map();
  for (const operation of operations) {
    if (operation.method !== 'get') continue;
    const query = operation.parameters.filter((parameter) => parameter.in === 'query');
    const checkable = operation.parameters.every((parameter) => parameter.in === 'query' && isCheckable(parameter.schema ?? {}));
    routes.set(operation.path, {
      parameters: new Map(query.map((parameter) => [parameter.name, fastParameter(parameter)])),
      validate: checkable ? ajv.compile(querySchema(query)) : undefined,
    });
  }
  compiled.set(operations, routes);
  return routes;
}

function fastParameter(parameter: ParameterObject & { allowReserved?: boolean }): FastParameter {
  // The validator reads a missing `explode` as false here, and so does this.
  const exploded = Boolean(parameter.explode);
  return {
    list: parameter.schema?.type === 'array' && !exploded,
    reserved: parameter.allowReserved ? undefined : exploded ? RESERVED : RESERVED_BUT_COMMA,
  };
}

function querySchema(parameters: readonly ParameterObject[]): object {
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema ?? {}])),
    required: parameters.filter((parameter) => (parameter as { required?: boolean }).required).map((parameter) => parameter.name),
  };
}

function isCheckable(schema: SchemaObject): boolean {
  return Object.entries(schema).every(([keyword, value]) => CHECKED_KEYWORDS.has(keyword) && (keyword !== 'items' || isCheckable(value as SchemaObject)));
}

/** True when the query is certainly valid for the route; false sends it through the full validator. */
function accepts(route: Route, pairs: readonly QueryPair[]): boolean {
  const values: Record<string, unknown> = {};
  for (const { name, value: raw, hasValue } of pairs) {
    const parameter = route.parameters.get(name);
    // Empty pieces, names without a value, unknown, repeated or empty parameters, `+` for a space
    // and malformed escapes are the validator's to judge.
    if (!hasValue || !parameter || Object.hasOwn(values, name) || raw === '' || raw.includes('+') || parameter.reserved?.test(raw)) return false;
    const value = decode(raw);
    if (value === undefined) return false;
    values[name] = parameter.list ? value.split(',') : value;
  }
  return route.validate!(values) === true;
}

function decode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
