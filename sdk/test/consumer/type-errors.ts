// Mistakes a developer makes, each with the error tsc must give for it: readable, naming the
// SDK's public types, never the generics behind them. The consumer test compiles this file (it
// must fail) and checks that each line marked `// error:` has an error containing that text,
// and that no other line has one.
import { createLakefront, createLakefrontClient, dataset } from '@lakefront/sdk';
import { listCrimes } from '@lakefront/sdk/operations';

const lf = createLakefront({ baseUrl: 'http://localhost:3000' });
const crimes = dataset(createLakefrontClient({ baseUrl: 'http://localhost:3000' }), listCrimes);

export async function mistakes(): Promise<void> {
  await lf.crimes.list({ arrest: 'yes' }); // error: Type 'string' is not assignable to type 'boolean | readonly boolean[] | undefined'.
  await lf.serviceRequests.list({ arrest: true }); // error: 'arrest' does not exist in type 'ListServiceRequestsPageParams & { fields?: undefined; }'
  await lf.crimes.list({ primary_type: ['THEFT'] }); // error: 'primary_type' does not exist in type 'ListCrimesPageParams & { fields?: undefined; }'. Did you mean to write 'primaryType'?
  await lf.crimes.list({ wardz: 42 }); // error: Did you mean to write 'ward'?
  await lf.crimes.list({ limit: 'five' }); // error: Type 'string' is not assignable to type 'number'.
  await lf.crimes.list({ fields: ['blok'] }); // error: Type '"blok"' is not assignable to type '"block" | "id" |
  for await (const row of lf.crimes.rows({ cursor: 'abc' })) void row; // error: 'cursor' does not exist in type 'ListCrimesRowsParams & { fields?: undefined; }'
  await lf.reports.crimesByZip({ form: '2014-01-01' }); // error: 'form' does not exist in type 'GetCrimesByZipParams'
  await lf.crimes.aggregate({ groupBy: 'district', wardz: 42 }); // error: 'wardz' does not exist in type 'AggregateCrimesGroupParams & {
  await lf.crimes.list({ limit: 1 }, { timout: 1000 }); // error: 'timout' does not exist in type 'CallOptions'. Did you mean to write 'timeout'?
  await crimes.list({ wardz: 42 }); // error: 'wardz' does not exist in type 'ListCrimesPageParams & { fields?: undefined; }'. Did you mean to write 'ward'?
  await crimes.list({ limit: 1 }, { timout: 1000 }); // error: Promise<PageOf<ListCrimesOperation, undefined>>
  const page = await lf.crimes.list({ fields: ['block'] });
  void page.data[0]?.primary_type; // error: Property 'primary_type' does not exist on type 'Pick<Required<Crime>, "block" | "id">'.
}
