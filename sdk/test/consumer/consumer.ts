// A consumer of the published package, as a developer would write it. The consumer test packs the
// SDK, installs the tarball into a fresh project, typechecks this file under a strict and a loose
// tsconfig, and runs it against a live server. It needs only DOM/ES types: no Node types.
import { createLakefront, etagOf, isNotModified, LakefrontError, LakefrontInvalidRequestError, type Crime, type Lakefront } from '@lakefront/sdk';

export interface ConsumerReport {
  firstPage: number;
  theftRows: number;
  csvLines: number;
  badRequest: { status: number; names: string[]; isError: boolean };
  /** Issue #21's snippets, compiled here under exactOptionalPropertyTypes. */
  snippets: { unionRows: number[]; pagedRows: number; arrestRows: number; blockRowKeys: string[]; invalidRequest: boolean; requestId: boolean; queryKeyHead: string; notModified: number };
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

  return { firstPage: page.data.length, theftRows, csvLines: csv.trim().split('\n').length, badRequest, snippets: await snippets(lf) };
}

async function snippets(lf: Lakefront): Promise<ConsumerReport['snippets']> {
  // A union of parameter objects, as a conditional gives it.
  const unionRows: number[] = [];
  for (const theft of [true, false]) {
    const params = theft ? { primaryType: ['THEFT'] } : { zip: ['60614'] };
    unionRows.push((await lf.crimes.list({ ...params, limit: 2 })).data.length);
  }

  // The README's pagination loop: `cursor: string | undefined` under exactOptionalPropertyTypes.
  let cursor: string | undefined;
  let pagedRows = 0;
  do {
    const page = await lf.crimes.list({ primaryType: ['NARCOTICS'], from: '2014-03-01', to: '2014-03-15', limit: 50, cursor });
    pagedRows += page.data.length;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);

  // One value where the API takes a list.
  const arrests = await lf.crimes.list({ arrest: true, limit: 3 });

  // `fields: ['block']`: the type has the key the server sends.
  const blocks = await lf.crimes.list({ fields: ['block'], limit: 1 });
  const row: { id: number; block: string | null } | undefined = blocks.data[0];

  // @ts-expect-error `primary_type` is not a parameter: `primaryType` is
  const typo = () => lf.crimes.list({ primary_type: ['THEFT'] });
  void typo;

  let invalidRequest = false;
  let requestId = false;
  try {
    await lf.crimes.list({ from: '2014-02-30' });
  } catch (error) {
    invalidRequest = error instanceof LakefrontInvalidRequestError && error.status === 400;
    requestId = error instanceof LakefrontError && typeof error.requestId === 'string';
  }

  // A conditional call: a 304 is a typed NotModified result, not an error.
  const copy = await lf.crimes.list({ zip: '60614', limit: 5 });
  const answer = await lf.crimes.list({ zip: '60614', limit: 5 }, { ifNoneMatch: etagOf(copy) });
  const notModified: number = isNotModified(answer) ? answer.status : answer.data.length;

  // TanStack Query options: structural, no dependency.
  const options = lf.crimes.queryOptions({ zip: '60614', limit: 5 });
  const infinite = lf.crimes.infiniteQueryOptions({ zip: '60614', limit: 5 });
  const next: string | null = infinite.getNextPageParam(await infinite.queryFn({ signal: new AbortController().signal, pageParam: infinite.initialPageParam }));
  void next;

  return {
    unionRows,
    pagedRows,
    arrestRows: arrests.data.filter((crime) => crime.arrest === true).length,
    blockRowKeys: row ? Object.keys(row).sort() : [],
    invalidRequest,
    requestId,
    queryKeyHead: String(options.queryKey[0]),
    notModified,
  };
}
