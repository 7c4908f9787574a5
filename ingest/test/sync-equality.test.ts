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

  it('holds what the fixture holds, written out by hand from core/datasets/samples/ijzp-q8t2.json and its README', async () => {
    const facts = await db.knex.raw(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE arrest)::int AS arrests, count(DISTINCT primary_type)::int AS types,
              count(*) FILTER (WHERE latitude IS NULL)::int AS without_coordinates,
              to_char(min(date), 'YYYY-MM-DD') AS first, to_char(max(date), 'YYYY-MM-DD') AS last
       FROM data.crimes`,
    );
    expect(facts.rows[0]).toEqual({ rows: 6957, arrests: 1687, types: 27, without_coordinates: 73, first: '2014-02-28', last: '2014-03-15' });
    const stored = async (id: number) =>
      (
        await db.knex.raw(
          `SELECT to_jsonb(c) - 'geo_zip' - 'geo_community_area' - '_updated_at' AS row, _updated_at = ?::timestamptz AS stamped
           FROM data.crimes c WHERE id = ?`,
          [id === 9532593 ? '2014-03-22T11:50:11.104Z' : '2014-04-11T11:51:05.652Z', id],
        )
      ).rows[0];
    expect(await stored(9532593)).toEqual({
      stamped: true,
      row: {
        id: 9532593, case_number: 'HX186477', date: '2014-03-15T00:00:00', block: '030XX W DIVERSEY AVE', iucr: '0820',
        primary_type: 'THEFT', description: '$500 AND UNDER', location_description: 'BAR OR TAVERN', arrest: false, domestic: false,
        beat: '1411', district: '014', ward: 35, community_area: '22', fbi_code: '06', x_coordinate: 1155318, y_coordinate: 1918413,
        year: 2014, updated_on: '2014-03-22T00:39:11', latitude: 41.93193179666549, longitude: -87.70464452726821,
        _source_id: 'ijzp-q8t2', _row_id: 'row-cfd7~2f4e-ifej',
      },
    });
    // One of the 73 rows the export gives no coordinates (nor district): NULLs, never another row's values.
    expect(await stored(9567561)).toEqual({
      stamped: true,
      row: {
        id: 9567561, case_number: 'HX218162', date: '2014-03-15T00:00:00', block: '055XX S ADA ST', iucr: '0820',
        primary_type: 'THEFT', description: '$500 AND UNDER', location_description: 'OTHER', arrest: false, domestic: false,
        beat: '0713', district: null, ward: 16, community_area: '67', fbi_code: '06', x_coordinate: null, y_coordinate: null,
        year: 2014, updated_on: '2014-04-11T00:40:05', latitude: null, longitude: null,
        _source_id: 'ijzp-q8t2', _row_id: 'row-hps5-9rba~v9eb',
      },
    });
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
