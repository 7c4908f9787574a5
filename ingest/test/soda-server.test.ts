import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSodaClient } from '../socrata/client.js';
import { afterWatermark, allOf, STABLE_ORDER } from '../socrata/soql.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import type { Row } from '../../testing/soql.js';

let server: SodaTestServer;

const ROWS: Row[] = [
  { ':id': 'row-a', ':created_at': '2024-01-01T00:00:00.000Z', ':updated_at': '2024-01-02T00:00:00.000Z', name: "O'Hare", n: '10', when: '2024-03-01T10:00:00.000', flag: true },
  { ':id': 'row-b', ':created_at': '2024-01-01T00:00:00.000Z', ':updated_at': '2024-01-02T00:00:00.000Z', name: 'Loop', n: '9', when: '2024-03-02T00:00:00.000', flag: false },
  { ':id': 'row-c', ':created_at': '2024-01-01T00:00:00.000Z', ':updated_at': '2024-01-01T00:00:00.000Z', name: 'Austin', n: '100' },
  { ':id': 'row-d', ':created_at': '2024-01-01T00:00:00.000Z', ':updated_at': '2024-01-03T00:00:00.000Z', name: 'Edgewater', n: '-5', when: '2024-02-28T23:59:59.000' },
];

beforeAll(async () => {
  server = await startSodaServer();
  server.store.define('test-rows', { name: 'text', n: 'number', when: 'floating_timestamp', flag: 'checkbox' }, ROWS);
});
afterAll(() => server?.close());

async function get(query: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/resource/test-rows.json?${query}`);
  return { status: response.status, body: await response.json() };
}
const ids = (body: unknown) => (body as Row[]).map((row) => row[':id']);

describe('the SODA test portal', () => {
  it('answers SoQL like the portal: typed comparisons, AND/OR precedence, quotes, NULLs, order and paging', async () => {
    const q = (params: Record<string, string>) => get(new URLSearchParams({ $select: ':*,*', ...params }).toString());
    expect(ids((await q({ $where: 'n > 9', $order: 'n DESC' })).body)).toEqual(['row-c', 'row-a']);
    expect(ids((await q({ $where: "name = 'O''Hare'" })).body)).toEqual(['row-a']);
    expect(ids((await q({ $where: "n < 0 OR name = 'Loop' AND flag = false", $order: ':id' })).body)).toEqual(['row-b', 'row-d']);
    expect(ids((await q({ $where: "(n < 0 OR name = 'Loop') AND when >= '2024-03-01'", $order: ':id' })).body)).toEqual(['row-b']);
    expect(ids((await q({ $where: 'when IS NULL' })).body)).toEqual(['row-c']);
    expect(ids((await q({ $where: "NOT when < '2024-03-01'", $order: ':id' })).body)).toEqual(['row-a', 'row-b']);
    expect(ids((await q({ $order: ':updated_at DESC, :id ASC', $limit: '2', $offset: '1' })).body)).toEqual(['row-a', 'row-b']);
    const plain = (await get('$order=:id&$limit=1')).body as Row[];
    expect(plain).toEqual([{ name: "O'Hare", n: '10', when: '2024-03-01T10:00:00.000', flag: true }]);
    expect((await get('$select=name,n&$where=n=9')).body).toEqual([{ name: 'Loop', n: '9' }]);
  });

  it('answers errors with Socrata bodies and codes', async () => {
    expect(await get('$where=nope=1')).toEqual({ status: 400, body: expect.objectContaining({ code: 'query.soql.no-such-column', error: true }) });
    expect(await get("$where=name = 'unterminated")).toEqual({ status: 400, body: expect.objectContaining({ code: 'query.compiler.malformed' }) });
    expect(await get('$where=n = = 1')).toEqual({ status: 400, body: expect.objectContaining({ code: 'query.compiler.malformed' }) });
    const missing = await fetch(`${server.url}/resource/zzzz-0000.json`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 'dataset.missing', error: true, message: 'Not found', data: { id: 'zzzz-0000' } });
  });

  it('defaults $limit to 1000 and pages by keyset exactly like a full scan, ties on :updated_at included', async () => {
    const rows: Row[] = Array.from({ length: 2500 }, (_, index) => ({ name: `r${index}`, n: String(index % 7) }));
    server.store.define('many', { name: 'text', n: 'number' }, []);
    for (let start = 0; start < rows.length; start += 300) server.store.insert('many', rows.slice(start, start + 300));
    const all = await fetch(`${server.url}/resource/many.json`).then((response) => response.json() as Promise<Row[]>);
    expect(all).toHaveLength(1000);

    const client = createSodaClient({ baseUrl: server.url });
    const seen: string[] = [];
    let watermark: { updatedAt: string; rowId: string } | undefined;
    for (;;) {
      const page = await client.query('many', { select: ':*,*', where: allOf(["n != 3", watermark && afterWatermark(watermark)]), order: STABLE_ORDER, limit: 170 });
      if (!page.length) break;
      seen.push(...page.map((row) => String(row.name)));
      const last = page.at(-1)!;
      watermark = { updatedAt: String(last[':updated_at']), rowId: String(last[':id']) };
    }
    const expected = server.store.query('many', { select: ':*,*', where: 'n != 3', order: ':id', limit: 10_000, offset: 0 });
    expect(seen.sort()).toEqual(expected.map((row) => String(row.name)).sort());
    expect(new Set(seen).size).toBe(seen.length);
  });
});
