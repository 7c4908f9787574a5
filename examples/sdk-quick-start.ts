// SDK quick start: the datasets, a filtered page, every row of a filter, and an error.
// Run: npx tsx examples/sdk-quick-start.ts http://localhost:3000
import { pathToFileURL } from 'node:url';
import { createLakefront, LakefrontError } from '@lakefront/sdk';

export interface QuickStartResult {
  datasets: { key: string; rows: number }[];
  firstPage: string[];
  narcoticsArrests: number;
  error: string;
}

export async function quickStart(baseUrl: string): Promise<QuickStartResult> {
  const lf = createLakefront({ baseUrl });

  // What is loaded, and how much of it.
  const { data: catalog } = await lf.datasets.list();
  const datasets = catalog.map((dataset) => ({ key: dataset.key, rows: dataset.row_count }));

  // One page: parameters are camelCase, rows keep the portal's column names.
  const page = await lf.crimes.list({ primaryType: ['THEFT', 'BATTERY'], from: '2014-03-10', to: '2014-03-11', limit: 3 });
  const firstPage = page.data.map((crime) => `${crime.date} ${crime.primary_type} ${crime.block}`);

  // Every matching row, across as many pages as it takes.
  let narcoticsArrests = 0;
  for await (const crime of lf.crimes.rows({ primaryType: ['NARCOTICS'], arrest: [true], fields: ['id'] })) {
    if (crime.id) narcoticsArrests += 1;
  }

  // Bad input is a LakefrontError carrying the server's problem+json.
  let error = '';
  try {
    await lf.crimes.list({ from: '2014-02-30' });
  } catch (caught) {
    if (!(caught instanceof LakefrontError)) throw caught;
    error = `${caught.status} ${caught.errors.map((item) => `${item.name}: ${item.message}`).join('; ')}`;
  }
  return { datasets, firstPage, narcoticsArrests, error };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await quickStart(process.argv[2] ?? 'http://localhost:3000');
  console.table(result.datasets);
  console.log(result.firstPage.join('\n'));
  console.log(`narcotics crimes with an arrest: ${result.narcoticsArrests}`);
  console.log(`a bad date: ${result.error}`);
}
