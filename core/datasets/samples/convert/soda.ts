import { createHash } from 'node:crypto';

/**
 * The SODA 2.1 wire conventions the bundled samples follow (see ../README.md): floating timestamps
 * in Chicago local time without a zone, GeoJSON points, and synthetic but deterministic system
 * fields. Everything here is a pure function of its input, so a rerun writes the same bytes.
 */

export type SodaValue = string | boolean | { type: 'Point'; coordinates: [number, number] };

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYY-MM-DDTHH:MM:SS.000` from wall-clock parts. */
export function floating(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}.000`;
}

/** `2/28/2014` (the CTA export's date) as a floating timestamp at midnight. */
export function fromUsDate(text: string): string {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!match) throw new Error(`not a M/D/YYYY date: ${text}`);
  return floating(+match[3]!, +match[1]!, +match[2]!);
}

/**
 * An Excel serial date (days since 1899-12-30, wall-clock time) as a floating timestamp, rounded
 * to the second: the 5 decimals Excel kept resolve about 0.9 s, so whole-second source times
 * come back exactly.
 */
export function fromExcelSerial(text: string): string {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new Error(`not an Excel serial date: ${text}`);
  const seconds = Math.round(Number(text) * 86_400);
  return wallClock(Date.UTC(1899, 11, 30) + seconds * 1000);
}

/**
 * Epoch seconds that encode a wall-clock time as if it were UTC (how BigQuery's public copy of
 * the taxi trips stores the portal's floating timestamps) back as that floating timestamp.
 */
export function fromEpochWallClock(text: string): string {
  if (!/^\d+$/.test(text)) throw new Error(`not epoch seconds: ${text}`);
  return wallClock(Number(text) * 1000);
}

function wallClock(ms: number): string {
  const date = new Date(ms);
  return floating(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
}

const chicagoParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Chicago',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function chicagoOffsetMs(instant: number): number {
  const parts = Object.fromEntries(chicagoParts.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant of a Chicago wall-clock floating timestamp (standard or daylight time as it applied). */
export function chicagoToUtc(floatingTimestamp: string): number {
  const asUtc = Date.parse(`${floatingTimestamp.slice(0, 19)}Z`);
  const first = asUtc - chicagoOffsetMs(asUtc);
  return asUtc - chicagoOffsetMs(first);
}

export function point(longitude: string, latitude: string): SodaValue {
  const coordinates: [number, number] = [Number(longitude), Number(latitude)];
  if (!coordinates.every(Number.isFinite)) throw new Error(`not a point: ${longitude} ${latitude}`);
  return { type: 'Point', coordinates };
}

/** `POINT (-87.64 41.88)` (WKT, longitude first). */
export function pointFromWkt(text: string): SodaValue {
  const match = /^POINT \((\S+) (\S+)\)$/.exec(text);
  if (!match) throw new Error(`not a WKT point: ${text}`);
  return point(match[1]!, match[2]!);
}

/** `(41.857908, -87.669147)` (the older CSV exports' location text, latitude first). */
export function pointFromLatLonText(text: string): SodaValue {
  const match = /^\((\S+), (\S+)\)$/.exec(text);
  if (!match) throw new Error(`not a (lat, lon) point: ${text}`);
  return point(match[2]!, match[1]!);
}

function digest(text: string): Buffer {
  return createHash('sha1').update(text).digest();
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const SEPARATORS = '-._~';

/** `row-xxxx.xxxx_xxxx` / `rv-…`: the portal's id shape, made from a hash of `seed`. */
function portalToken(prefix: string, seed: string): string {
  const bytes = digest(seed);
  const group = (start: number) => Array.from(bytes.subarray(start, start + 4), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
  return `${prefix}-${group(0)}${SEPARATORS[bytes[12]! % 4]}${group(4)}${SEPARATORS[bytes[13]! % 4]}${group(8)}`;
}

/** A millisecond part (0-999) fixed by `seed`, so times made from whole seconds do not all end in .000. */
export function millisOf(seed: string): number {
  return digest(seed).readUInt16BE(0) % 1000;
}

export interface SystemFields {
  readonly ':id': string;
  readonly ':version': string;
  readonly ':created_at': string;
  readonly ':updated_at': string;
}

export function systemFields(portalId: string, key: string, createdAt: number, updatedAt: number): SystemFields {
  return {
    ':id': portalToken('row', `${portalId}/${key}`),
    ':version': portalToken('rv', `${portalId}/${key}/version`),
    ':created_at': new Date(Math.min(createdAt, updatedAt)).toISOString(),
    ':updated_at': new Date(updatedAt).toISOString(),
  };
}

/** The portal's response layout: one row object per line, `[{…}\n,{…}\n]\n`. */
export function sodaJson(rows: readonly object[]): string {
  return `[${rows.map((row) => JSON.stringify(row)).join('\n,')}]\n`;
}
