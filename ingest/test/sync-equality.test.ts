import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { readSyncStates } from '../sync/state.js';
import { syncDataset } from '../sync/sync-dataset.js';
import { actualRows, expectedRows } from '../../testing/compare.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, syncOptions, TEST_TOKEN } from './helpers.js';

let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer({ faults: { probability: 0.15, seed: 20261127, retryAfterSeconds: 0 } });
  serveFixture(server.store, 'ijzp-q8t2');
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe(`sync under faults (${BACKEND})`, () => {
  it('leaves the table equal to the portal, row for row and value for value, with ~15% of requests failing', async () => {
    const { log, text } = capturingLogger();
    const summary = await syncDataset(db, crimes, syncOptions(server, log, { pageSize: 250 }));

    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe('synced');
    // 429, 500, 503 and cut-off bodies were all retried; each fault cost exactly one retry.
    expect(server.stats.faults).toBeGreaterThanOrEqual(3);
    expect(server.stats.faults / server.stats.requests).toBeGreaterThan(0.05);
    expect(summary.retries).toBe(server.stats.faults);
    const expected = expectedRows(crimes, [{ sourceId: 'ijzp-q8t2', rows: server.store.rows('ijzp-q8t2') }]);
    expect(expected).toHaveLength(6957);
    expect(await actualRows(db.knex, crimes)).toEqual(expected);

    const [state] = await readSyncStates(db.knex);
    expect(state).toMatchObject({ dataset: 'crimes', source_id: 'ijzp-q8t2', rows_total: 6957, last_error: null });
    expect(state!.last_success_at).not.toBeNull();
    // The watermark is the newest row in `:updated_at, :id` order.
    const newest = [...server.store.rows('ijzp-q8t2')].sort((a, b) =>
      String(a[':updated_at']).localeCompare(String(b[':updated_at'])) || (String(a[':id']) < String(b[':id']) ? -1 : 1),
    ).at(-1)!;
    expect(state!.watermark_updated_at).toBe(newest[':updated_at']);
    expect(state!.watermark_row_id).toBe(newest[':id']);

    expect(server.stats.appTokens).toEqual(new Set([TEST_TOKEN]));
    expect(text()).not.toContain(TEST_TOKEN);
    expect(text()).toContain('retrying');
  });

  it('reads nothing new on a rerun and changes nothing', async () => {
    server.setFaults(undefined);
    const before = await actualRows(db.knex, crimes);
    const summary = await syncDataset(db, crimes, syncOptions(server, capturingLogger().log));
    expect(summary.status).toBe('synced');
    expect(summary.sources[0]!.rowsRead).toBe(0);
    expect(await actualRows(db.knex, crimes)).toEqual(before);
  });
});
