/**
 * One set of result parsers for both backends, so node-postgres and PGlite produce identical
 * JSON: integers and numerics as numbers, floating timestamps as `YYYY-MM-DDTHH:MM:SS`
 * (Chicago local time, no offset), instants as ISO 8601 UTC (`…Z`). Sessions run in UTC,
 * which makes the timestamptz text form predictable.
 */
export const OID = {
  int8: 20,
  int2: 21,
  int4: 23,
  float4: 700,
  float8: 701,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

const toNumber = (text: string): number => Number(text);

export function parseTimestamp(text: string): string {
  return text.replace(' ', 'T');
}

export function parseTimestamptz(text: string): string {
  // Text form in a UTC session: `2014-04-11 11:51:05.652+00`.
  return new Date(text.replace(' ', 'T').replace(/\+00$/, 'Z')).toISOString();
}

export const typeParsers: Readonly<Record<number, (text: string) => unknown>> = {
  [OID.int8]: toNumber,
  [OID.int2]: toNumber,
  [OID.int4]: toNumber,
  [OID.float4]: toNumber,
  [OID.float8]: toNumber,
  [OID.numeric]: toNumber,
  [OID.date]: (text) => text,
  [OID.timestamp]: parseTimestamp,
  [OID.timestamptz]: parseTimestamptz,
};
