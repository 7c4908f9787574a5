// The monthly crime trend of one ZIP code for a year, drawn as an SVG bar chart (no chart library).
// Run: npx tsx examples/zip-trend-svg.ts http://localhost:3000 ./out [zip] [year]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLakefront } from '@lakefront/sdk';

export interface MonthCount {
  month: string; // YYYY-MM
  count: number;
}

/** Twelve months of a year; the report leaves out months without crimes, the chart shows them as 0. */
export function monthsOfYear(year: number, periods: readonly { period: string; count: number }[]): MonthCount[] {
  const counts = new Map(periods.map((item) => [item.period.slice(0, 7), item.count]));
  return Array.from({ length: 12 }, (_unused, index) => {
    const month = `${year}-${String(index + 1).padStart(2, '0')}`;
    return { month, count: counts.get(month) ?? 0 };
  });
}

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (char) => `&#${char.charCodeAt(0)};`);

/** A bar per month with its count above it, a baseline, and month labels. */
export function renderBarChart(title: string, months: readonly MonthCount[]): string {
  const width = 720;
  const height = 360;
  const margin = { top: 48, right: 16, bottom: 40, left: 16 };
  const plotHeight = height - margin.top - margin.bottom;
  const slot = (width - margin.left - margin.right) / Math.max(1, months.length);
  const max = Math.max(1, ...months.map((item) => item.count));
  const baseline = margin.top + plotHeight;
  const bars = months.map((item, index) => {
    const barHeight = (item.count / max) * plotHeight;
    const x = margin.left + index * slot + slot * 0.15;
    const centre = margin.left + index * slot + slot / 2;
    return [
      `<rect class="bar" data-month="${item.month}" data-count="${item.count}" x="${x.toFixed(1)}" y="${(baseline - barHeight).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="#2b6cb0"/>`,
      `<text x="${centre.toFixed(1)}" y="${(baseline - barHeight - 6).toFixed(1)}" text-anchor="middle" font-size="12">${item.count}</text>`,
      `<text x="${centre.toFixed(1)}" y="${baseline + 18}" text-anchor="middle" font-size="12">${escapeXml(item.month.slice(5))}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="28" font-size="18" font-weight="bold">${escapeXml(title)}</text>`,
    ...bars,
    `<line x1="${margin.left}" y1="${baseline}" x2="${width - margin.right}" y2="${baseline}" stroke="#333"/>`,
    '</svg>',
    '',
  ].join('\n');
}

export async function renderZipTrend(baseUrl: string, outDir: string, zip = '60614', year = 2014): Promise<{ file: string; months: MonthCount[] }> {
  const lf = createLakefront({ baseUrl });
  const report = await lf.reports.crimesTrends({ zip: [zip], interval: 'month', from: `${year}-01-01`, to: `${year + 1}-01-01` });
  const months = monthsOfYear(year, report.data);
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `crime-trend-${zip}-${year}.svg`);
  await writeFile(file, renderBarChart(`Crimes per month in ZIP ${zip}, ${year}`, months));
  return { file, months };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [baseUrl = 'http://localhost:3000', outDir = '.', zip, year] = process.argv.slice(2);
  const { file, months } = await renderZipTrend(baseUrl, outDir, zip, year ? Number(year) : undefined);
  console.log(`${file}: ${months.map((item) => `${item.month} ${item.count}`).join(', ')}`);
}
