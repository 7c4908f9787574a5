// An analyst's pull: every crime in one ZIP code for one year, as a CSV file, streamed to disk
// in constant memory however large the year is.
// Run: npx tsx examples/zip-crimes-csv.ts http://localhost:3000 ./out [zip] [year]
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pathToFileURL } from 'node:url';
import { createLakefront } from '@lakefront/sdk';

export async function exportZipCrimesCsv(baseUrl: string, outDir: string, zip = '60614', year = 2014): Promise<string> {
  const lf = createLakefront({ baseUrl });
  const csv = await lf.crimes.csvStream({
    zip: [zip],
    from: `${year}-01-01`,
    to: `${year + 1}-01-01`,
    order: 'date',
    fields: ['id', 'case_number', 'date', 'block', 'primary_type', 'description', 'arrest', 'latitude', 'longitude'],
  });
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `crimes-${zip}-${year}.csv`);
  await pipeline(Readable.fromWeb(csv as NodeReadableStream), createWriteStream(file));
  return file;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [baseUrl = 'http://localhost:3000', outDir = '.', zip, year] = process.argv.slice(2);
  console.log(await exportZipCrimesCsv(baseUrl, outDir, zip, year ? Number(year) : undefined));
}
