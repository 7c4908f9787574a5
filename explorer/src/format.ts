const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return numberFormat.format(value);
}

const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });

/** An axis label, short enough for the chart's margin: exact below 10,000, then `26.5K`, `326K`, `1.48M`. */
export function formatAxisCount(value: number): string {
  return value < 10_000 ? numberFormat.format(value) : compactFormat.format(value);
}

/** A cell as text: null/absent as an empty cell, objects (GeoJSON) as JSON. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A facet or area value as shown; null is a group of its own. */
export function formatValue(value: unknown): string {
  return value === null || value === undefined ? '(none)' : String(value);
}

/** `2026-12-06T21:04:00.000Z` → `2026-12-06 21:04 UTC`. */
export function formatSyncTime(iso: string | null): string {
  if (!iso) return 'never synced';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
