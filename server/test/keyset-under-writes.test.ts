import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { startServer, type LiveServer } from './helpers.js';

/**
 * Keyset paging while rows change (#23): ordered by a column that moves underneath (`-date` while
 * dates are corrected) a row can be seen twice or skipped, as the `order` parameter says; ordered
 * by the key every row is seen exactly once.
 */
let server: LiveServer;

beforeAll(async () => {
  server = await startServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)) });
});
afterAll(() => server?.stop());

/** Pages through `path`, calling `between` after each page; returns the ids in the order served. */
async function pageThrough(path: string, between: (page: number) => Promise<void>): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const { status, body } = await server.get(cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path);
    expect(status).toBe(200);
    ids.push(...(body.data as { id: number }[]).map((row) => row.id));
    cursor = body.next_cursor;
    if (!cursor) return ids;
    await between(page);
  }
  throw new Error('too many pages');
}

/** A date correction: the row moves far back in time, behind every page. */
async function moveBack(id: number): Promise<void> {
  await server.db.knex.raw(`UPDATE data.crimes SET date = date - interval '30 years' WHERE id = ?`, [id]);
}

describe('keyset paging while dates are corrected', () => {
  it('documents the hazard next to `order` in every list operation', async () => {
    const spec = (await server.get('/openapi.json')).body as { paths: Record<string, { get: { parameters?: { name: string; description?: string }[] } }> };
    const orders = Object.entries(spec.paths)
      .filter(([path]) => !path.includes('/reports/') && !path.endsWith('/aggregate'))
      .flatMap(([, item]) => item.get.parameters ?? [])
      .filter((parameter) => parameter.name === 'order');
    expect(orders.length).toBeGreaterThanOrEqual(10);
    for (const order of orders) expect(order.description).toMatch(/skipped\s+or seen twice.*Ordering by the key is stable/s);
  });

  it('by -date, a row whose date is corrected after it was served is served again', async () => {
    let first: number[] = [];
    const ids = await pageThrough('/v1/crimes?order=-date&limit=1000&fields=id', async (page) => {
      if (page !== 0) return;
      first = (await server.db.knex.raw('SELECT id FROM data.crimes ORDER BY date DESC NULLS LAST, id DESC LIMIT 1')).rows.map((row: { id: string }) => Number(row.id));
      await moveBack(first[0]!);
    });
    expect(ids.filter((id) => id === first[0])).toHaveLength(2);
  });

  it('by id, every row is served exactly once while dates are corrected on every page', async () => {
    const expected = ((await server.db.knex.raw('SELECT id FROM data.crimes ORDER BY id')).rows as { id: string }[]).map((row) => Number(row.id));
    const ids = await pageThrough('/v1/crimes?order=id&limit=1000&fields=id', async (page) => {
      // One row already served and one not yet served move in time.
      await moveBack(expected[page * 1000]!);
      await moveBack(expected[(page + 1) * 1000 + 5]!);
    });
    expect(ids).toEqual(expected);
  });
});
