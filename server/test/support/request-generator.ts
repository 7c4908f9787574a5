import fc from 'fast-check';
import type { ParameterObject, SchemaObject, SpecOperation } from '../../src/spec.js';

/**
 * Builds requests from the spec's own parameter schemas, so every operation added to the spec is
 * fuzzed without touching the test: valid values (the ones that reach SQL), hostile replacements
 * and additions on top of them.
 */
export interface GeneratedRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
}

export const SQL_AND_JSON_FRAGMENTS = [
  "' OR '1'='1",
  "1; DROP TABLE data.crimes; --",
  "1) UNION SELECT usename, passwd FROM pg_shadow --",
  "'; SELECT pg_sleep(10); --",
  '$$; DROP SCHEMA api CASCADE; $$',
  "\\'",
  '"',
  '{"$gt":""}',
  '[1,2',
  '{"a":',
  '{"s":"crimes:date-desc","v":[null]}',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}',
  '%s%s%s%n',
];

export const ODD_NUMBERS = ['NaN', 'Infinity', '-Infinity', '-0', '1e309', '1e-400', '9'.repeat(400), '-9223372036854775809', '0x1F', '1.5', ' 1', '1 ', '+1', '1_000', '０', '٣'];
export const ODD_DATES = ['2014-02-30', '2014-13-01', '0000-00-00', '2014-03-01T25:61:61', '9999-12-31T23:59:59.999999', '-2014-01-01', '2014-1-1', '2014-03-01T00:00:00Z', '2014-03-01 00:00:00'];
export const ODD_SEPARATORS = ['', ',', ',,,', ' ', '\t', '\u0000', '\uFEFF', '\u202E', '😀'.repeat(40), '𝕏', 'ß', 'İ'];
/** Inserted into the query string as they are, not percent-encoded. */
export const RAW_QUERY_TOKENS = ['%', '%zz', '%E0%A4%A', '%00', '%C0%AF', '%FF%FE', '+', '%2B', '&&', '==', '=', 'limit', 'limit[]=1', 'limit[a]=1', '__proto__[x]=1', 'constructor[prototype][x]=1', ';', '#frag'];
/** The page size in every number form a parser might read as unbounded or as something else (#16). */
export const HOSTILE_LIMITS = ['Infinity', '-Infinity', '%2BInfinity', '1e309', '-1e309', '1e4', '1E4', '10000.0', '1.2e1', '0x0C', '0b1100', '0o14', '%2012', '12%20', '%0912', '+12', '1_000', '10001', '9007199254740993', '1' + '0'.repeat(400), '-0', '0'];
/** Headers big enough to pass Node's 16 KB header limit, alone or with the URL. */
export const LONG_HEADER_VALUES = ['x'.repeat(8_000), 'x'.repeat(17_000), 'é'.repeat(9_000)];
export const ACCEPT_HEADERS = [
  'application/json',
  'text/csv',
  'application/geo+json',
  'application/x-ndjson',
  'application/xml',
  'text/html',
  '*/*',
  'text/*',
  'application/*;q=0',
  'application/json;q=0, text/csv;q=0.5',
  'image/png',
  ';;;',
  ',',
  'application/problem+json',
  'text/csv;charset=utf-16',
  'x'.repeat(2000),
];

/** Percent-encodes UTF-8 bytes; lone surrogates become U+FFFD rather than throwing like encodeURIComponent. */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function typeOf(schema: SchemaObject): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : (schema.type as string | undefined);
}

const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SQL_AND_JSON_FRAGMENTS, ...ODD_NUMBERS, ...ODD_DATES, ...ODD_SEPARATORS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 1500, maxLength: 9000 }) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

function dateValue(withTime: boolean): fc.Arbitrary<string> {
  return fc.date({ min: new Date('1999-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => {
    const iso = date.toISOString();
    return withTime ? iso.slice(0, 19) : iso.slice(0, 10);
  });
}

/** Values the schema accepts (mostly), the ones that exercise the handlers' SQL. */
export function validValue(schema: SchemaObject, cursors: readonly string[]): fc.Arbitrary<string> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]).map(String));
  switch (typeOf(schema)) {
    case 'integer':
      return fc.integer({ min: Number(schema.minimum ?? -1_000_000), max: Number(schema.maximum ?? 1_000_000) }).map(String);
    case 'number':
      return fc.double({ min: Number(schema.minimum ?? -1e6), max: Number(schema.maximum ?? 1e6), noNaN: true, noDefaultInfinity: true }).map(String);
    case 'boolean':
      return fc.constantFrom('true', 'false');
    case 'array': {
      const items = (schema.items ?? {}) as SchemaObject;
      const minLength = Number(schema.minItems ?? 1);
      const maxLength = Math.max(minLength, Math.min(Number(schema.maxItems ?? 4), 4));
      return fc.array(validValue(items, cursors), { minLength, maxLength }).map((values) => values.join(','));
    }
    default: {
      const pattern = typeof schema.pattern === 'string' ? schema.pattern : undefined;
      if (pattern?.startsWith('^\\d{4}-\\d{2}-\\d{2}')) return dateValue(pattern.includes('T'));
      if (pattern) return fc.stringMatching(new RegExp(pattern)).filter((value) => value.length <= Number(schema.maxLength ?? 200));
      return fc.string({ minLength: Number(schema.minLength ?? 0), maxLength: Number(schema.maxLength ?? 20) });
    }
  }
}

/** A real cursor, broken in one of the ways a client (or an attacker) breaks one. */
function brokenCursor(cursors: readonly string[]): fc.Arbitrary<string> {
  const real = cursors.length ? fc.constantFrom(...cursors) : fc.constant('eyJzIjoieCIsInYiOltdfQ');
  return fc.oneof(
    real,
    real.chain((cursor) => fc.nat(cursor.length).map((cut) => cursor.slice(0, cut))),
    real.chain((cursor) => fc.nat(cursor.length - 1).map((at) => cursor.slice(0, at) + (cursor[at] === 'A' ? 'B' : 'A') + cursor.slice(at + 1))),
    real.map((cursor) => `${cursor}==`),
    fc.constantFrom(...SQL_AND_JSON_FRAGMENTS).map((fragment) => Buffer.from(fragment).toString('base64url')),
    fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
    fc.record({ s: fc.string(), v: fc.array(fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null))) }).map((value) =>
      Buffer.from(JSON.stringify(value)).toString('base64url'),
    ),
  );
}

function parameterValue(parameter: ParameterObject, cursors: readonly string[]): fc.Arbitrary<string> {
  const valid = parameter.name === 'cursor' ? brokenCursor(cursors) : validValue(parameter.schema ?? {}, cursors);
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

/** Requests for one operation: its parameters (valid or hostile), plus repeats, unknowns, raw junk, odd headers. */
export function requestsFor(operation: SpecOperation, cursors: readonly string[]): fc.Arbitrary<GeneratedRequest> {
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const known = query.map((parameter) =>
    fc.option(parameterValue(parameter, cursors).map((value) => `${percentEncode(parameter.name)}=${percentEncode(value)}`), { freq: 2, nil: undefined }),
  );
  const names = query.map((parameter) => parameter.name);
  const extra = fc.oneof(
    // A known parameter repeated with another value.
    names.length ? fc.tuple(fc.constantFrom(...names), hostileValue).map(([name, value]) => `${name}=${percentEncode(value)}`) : fc.constant('x=1'),
    // A parameter the endpoint does not have.
    fc.tuple(fc.oneof(fc.constantFrom('select', 'where', 'order_by', '$where', 'sort', 'page', 'offset', 'id'), fc.string({ maxLength: 12 })), hostileValue).map(
      ([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`,
    ),
    fc.constantFrom(...RAW_QUERY_TOKENS),
    // Every number form of the page size, with any format.
    fc.tuple(fc.constantFrom(...HOSTILE_LIMITS), fc.constantFrom('', '&format=csv', '&format=ndjson', '&format=geojson', '&format=json')).map(([limit, format]) => `limit=${limit}${format}`),
    // Bracket notation on a known parameter (`fields[a]=id`), which the validator's array parsing once threw on.
    names.length
      ? fc.tuple(fc.constantFrom(...names), fc.constantFrom('[]', '[a]', '[0]', '[][]', '[__proto__]', '[', ']'), hostileValue).map(([name, brackets, value]) => `${name}${brackets}=${percentEncode(value)}`)
      : fc.constant('x[a]=1'),
  );
  const pathValues = pathParameters.map((parameter) => parameterValue(parameter, cursors));
  return fc
    .record({
      known: fc.tuple(...known),
      extra: fc.array(extra, { maxLength: 3 }),
      pathValues: fc.tuple(...pathValues),
      accept: fc.option(fc.constantFrom(...ACCEPT_HEADERS), { nil: undefined }),
      ifNoneMatch: fc.option(fc.constantFrom('"x"', '*', 'W/"abc"', 'garbage'), { freq: 8, nil: undefined }),
      longHeader: fc.option(fc.constantFrom(...LONG_HEADER_VALUES), { freq: 30, nil: undefined }),
      acceptEncoding: fc.option(fc.constantFrom('gzip', 'br', 'gzip, br', 'deflate', 'identity', '*', 'br;q=0, gzip;q=0', 'x'.repeat(300)), { freq: 4, nil: undefined }),
    })
    .map(({ known: pairs, extra: extras, pathValues: values, accept, ifNoneMatch, longHeader, acceptEncoding }) => {
      let path = operation.path;
      pathParameters.forEach((parameter, index) => (path = path.replace(`{${parameter.name}}`, percentEncode(values[index] ?? ''))));
      const parts = [...pairs.filter((pair): pair is string => pair !== undefined), ...extras];
      const headers: Record<string, string> = {};
      if (accept !== undefined) headers.accept = accept;
      if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
      if (longHeader !== undefined) headers['x-filler'] = longHeader;
      if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding;
      return { path: parts.length ? `${path}?${parts.join('&')}` : path, headers };
    });
}
