// A consumer of the published package, as a developer would write it. The consumer test packs the
// SDK, installs the tarball into a fresh project, typechecks this file under a strict and a loose
// tsconfig, and runs it against a live server. It needs only DOM/ES types: no Node types.
import { createLakefront, LakefrontError, type Crime, type Lakefront } from '@lakefront/sdk';

export interface ConsumerReport {
  firstPage: number;
  theftRows: number;
  csvLines: number;
  badRequest: { status: number; names: string[]; isError: boolean };
}

export async function main(baseUrl: string): Promise<ConsumerReport> {
  const lf: Lakefront = createLakefront({ baseUrl, retry: { retries: 1, minDelayMs: 10, maxDelayMs: 100 } });

  const page = await lf.crimes.list({ from: '2014-03-01', to: '2014-03-08', primaryType: ['THEFT'], limit: 5 });
  const first: Required<Crime> | undefined = page.data[0];
  const cursor: string | null = page.next_cursor;
  if (!first || typeof first.id !== 'number' || cursor === null) throw new Error('unexpected first page');

  let theftRows = 0;
  for await (const crime of lf.crimes.rows({ from: '2014-03-01', to: '2014-03-08', primaryType: ['THEFT'], fields: ['id', 'primary_type'] })) {
    const type: string | null = crime.primary_type;
    if (type !== 'THEFT') throw new Error(`unexpected type ${type}`);
    theftRows += 1;
  }

  const csv = await lf.crimes.csv({ from: '2014-03-01', to: '2014-03-08', primaryType: ['THEFT'], fields: ['id'] });

  // @ts-expect-error `limit` is a number
  const wrongType = () => lf.crimes.list({ limit: 'five' });
  void wrongType;

  let badRequest: ConsumerReport['badRequest'] = { status: 0, names: [], isError: false };
  try {
    await lf.crimes.list({ limit: 0 });
  } catch (error) {
    if (!(error instanceof LakefrontError)) throw error;
    badRequest = { status: error.status, names: error.errors.map((item) => item.name), isError: error instanceof Error };
  }

  return { firstPage: page.data.length, theftRows, csvLines: csv.trim().split('\n').length, badRequest };
}
