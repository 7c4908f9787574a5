/**
 * `Content-Disposition` of a CSV or GeoJSON answer: a browser saves it as, say,
 * `crimes-2026-12-06.csv` (the day of the download, UTC) instead of showing it or naming it after
 * the URL. Names are the dataset or report keys: plain ASCII, nothing to escape.
 */
export function attachment(name: string, extension: 'csv' | 'geojson', now: Date = new Date()): string {
  return `attachment; filename="${name}-${now.toISOString().slice(0, 10)}.${extension}"`;
}
