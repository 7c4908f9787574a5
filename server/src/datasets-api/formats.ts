import type { Request } from 'express';
import { HttpProblem } from '../problems.js';

export type ListFormat = 'json' | 'csv' | 'geojson' | 'ndjson';

export const MEDIA_TYPES: Readonly<Record<ListFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json',
  ndjson: 'application/x-ndjson',
};

const BY_MEDIA_TYPE: readonly [string, ListFormat][] = [
  ['application/json', 'json'],
  ['text/csv', 'csv'],
  ['application/geo+json', 'geojson'],
  ['application/x-ndjson', 'ndjson'],
];

/**
 * `format=` wins over `Accept`; without either (or with `*\/*`) the answer is JSON. An Accept
 * header that names only types this endpoint cannot produce gets a 406.
 */
export function chooseFormat(req: Request, format: string | undefined, hasPoint: boolean): ListFormat {
  if (format) {
    if (format === 'geojson' && !hasPoint) throw HttpProblem.badParameter('format', 'geojson needs a dataset with coordinates');
    return format as ListFormat;
  }
  const accept = req.headers.accept;
  if (!accept) return 'json';
  const offered = BY_MEDIA_TYPE.filter(([, item]) => item !== 'geojson' || hasPoint).map(([type]) => type);
  const preferred = req.accepts([...offered]);
  if (!preferred) throw new HttpProblem(406, 'Not Acceptable', `Available as ${offered.join(', ')} (or use format=).`);
  return BY_MEDIA_TYPE.find(([type]) => type === preferred)![1];
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** The CSV lines of `rows`, their `columns` in order (no header). */
export function csvRows(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  return rows.map((row) => csvLine(columns.map((column) => row[column]))).join('');
}

export function pick(row: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) picked[field] = row[field] ?? null;
  return picked;
}
