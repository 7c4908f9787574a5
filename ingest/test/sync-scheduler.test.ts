import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { startSyncScheduler } from '../sync/scheduler.js';
import { actualRows, expectedRows } from '../../testing/compare.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND } from './helpers.js';

const PORTAL = 'ijzp-q8t2';
let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer();
  serveFixture(server.store, PORTAL, { rows: 400 });
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

/** A URL where nothing listens: the portal as seen from an offline machine. */
async function deadUrl(): Promise<string> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe(`sync scheduler in the server process (${BACKEND})`, () => {
  it('warns once, in one line without a stack, while the portal is unreachable, then syncs when it is back', async () => {
    const { log, lines } = capturingLogger();
    const offline = startSyncScheduler({
      db,
      log,
      everyMs: 60_000,
      firstDelayMs: 3_600_000,
      datasets: [crimes],
      socrata: { baseUrl: await deadUrl(), retries: 1, minTimeoutMs: 5 },
    });
    await offline.runOnce();
    await offline.runOnce();
    await offline.stop();
    const warnings = lines().filter((line) => (JSON.parse(line) as { level: number }).level >= 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('is unreachable');
    expect(warnings[0]).toContain('serving the data already loaded');
    expect(warnings[0]).not.toMatch(/\n|\bat .*\.ts:\d+/);

    const online = startSyncScheduler({ db, log, everyMs: 60_000, firstDelayMs: 3_600_000, datasets: [crimes], socrata: { baseUrl: server.url } });
    const [summary] = await online.runOnce();
    await online.stop();
    expect(summary!.status).toBe('synced');
    expect(await actualRows(db.knex, crimes)).toEqual(expectedRows(crimes, [{ sourceId: PORTAL, rows: server.store.rows(PORTAL) }]));
  });

  it('runs on its own timer', async () => {
    server.store.update(PORTAL, (row) => row.id === server.store.rows(PORTAL)[0]!.id, { block: 'SEEN BY THE TIMER' });
    const scheduler = startSyncScheduler({ db, log: capturingLogger().log, everyMs: 60_000, firstDelayMs: 10, datasets: [crimes], socrata: { baseUrl: server.url } });
    try {
      await expect.poll(async () => (await db.knex('data.crimes').where({ block: 'SEEN BY THE TIMER' })).length, { timeout: 20_000 }).toBe(1);
    } finally {
      await scheduler.stop();
    }
  });
});
