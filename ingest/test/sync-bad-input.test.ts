import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { createSodaClient } from '../socrata/client.js';
import { SocrataError } from '../socrata/errors.js';
import { readSyncStates } from '../sync/state.js';
import { syncDataset } from '../sync/sync-dataset.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, syncOptions, TEST_TOKEN } from './helpers.js';

const PORTAL = 'ijzp-q8t2';
let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer();
  serveFixture(server.store, PORTAL, { rows: 300 });
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe(`bad input (${BACKEND})`, () => {
  it('stores a row with malformed values as NULLs, logs each with the row key, and keeps the rest of the batch', async () => {
    const template = server.store.rows(PORTAL)[0]!;
    server.store.insert(PORTAL, [
      { ...template, id: '88000001', ward: 'twelve', date: '2014-02-30T10:00:00.000', arrest: 'maybe', x_coordinate: '1,155,318' },
      { ...template, id: 'not-a-number', case_number: 'BADKEY' },
    ]);
    const { log, lines } = capturingLogger();
    const summary = await syncDataset(db, crimes, syncOptions(server, log));
    expect(summary.status).toBe('synced');
    // Four bad values in one row, plus the unusable id of the other, which cannot be stored at all.
    expect(summary.sources[0]).toMatchObject({ malformedValues: 5, rejectedRows: 1, rowsTotal: 301 });

    const stored = await db.knex('data.crimes').where({ id: 88000001 }).first();
    expect(stored).toMatchObject({ ward: null, date: null, arrest: null, x_coordinate: null, case_number: template.case_number, block: template.block });
    const warnings = lines().map((line) => JSON.parse(line) as { msg: string; key?: string; row_id?: string });
    const malformed = warnings.filter((line) => line.msg.startsWith('malformed value stored as NULL'));
    expect(malformed.filter((line) => line.key === '88000001')).toHaveLength(4);
    expect(malformed.map((line) => line.msg).join('\n')).toContain('ward: expected an integer, got "twelve"');
    expect(warnings.some((line) => line.msg.includes('primary key') && typeof line.row_id === 'string')).toBe(true);
  });

  it('stores text that COPY must escape exactly, and keeps the newest of two versions of a key in one page', async () => {
    const template = server.store.rows(PORTAL)[0]!;
    const awkward = 'tab\there, new\nline, carriage\rreturn, back\\slash \\N, "quotes", ünïcödé ✓';
    server.store.insert(PORTAL, [
      { ...template, id: '88000002', description: 'first version' },
      { ...template, id: '88000002', description: awkward, block: '\\N' },
    ]);
    const summary = await syncDataset(db, crimes, syncOptions(server, capturingLogger().log));
    expect(summary.status).toBe('synced');
    const stored = await db.knex('data.crimes').where({ id: 88000002 });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ description: awkward, block: '\\N' });
  });

  it('fails with the portal error code and message for an unknown dataset id, without retrying', async () => {
    const { log, text } = capturingLogger();
    const before = server.stats.requests;
    const summary = await syncDataset(db, crimes, syncOptions(server, log, { env: { LAKEFRONT_SOURCES_CRIMES: 'zzzz-9999' } }));
    expect(summary.status).toBe('failed');
    expect(summary.error).toBe('Socrata zzzz-9999: HTTP 404 dataset.missing Not found');
    expect(server.stats.requests - before).toBe(1);
    const state = (await readSyncStates(db.knex)).find((row) => row.source_id === 'zzzz-9999');
    expect(state?.last_error).toBe(summary.error);
    expect(text()).not.toContain(TEST_TOKEN);
  });

  it('reports a bad query as one line with query.soql.no-such-column', async () => {
    const client = createSodaClient({ baseUrl: server.url, appToken: TEST_TOKEN, retries: 3, minTimeoutMs: 5 });
    const error = await client.query(PORTAL, { where: "no_such_field = 'x'", order: ':id' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SocrataError);
    expect((error as SocrataError).message).toBe(`Socrata ${PORTAL}: HTTP 400 query.soql.no-such-column No such column: no_such_field`);
    expect((error as SocrataError).message).not.toContain(TEST_TOKEN);
  });

  it('waits as long as Retry-After asks on 429, and gives up after the bounded retries', async () => {
    server.setFaults({ probability: 1, kinds: ['429'], retryAfterSeconds: 1 });
    try {
      const notices: string[] = [];
      const client = createSodaClient({ baseUrl: server.url, retries: 1, minTimeoutMs: 5, onRetry: (notice) => notices.push(notice.reason) });
      const started = Date.now();
      const error = (await client.query(PORTAL, { limit: 1 }).catch((caught: unknown) => caught)) as SocrataError;
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(notices).toHaveLength(1);
      expect(error.message).toBe(`Socrata ${PORTAL}: HTTP 429 throttled injected fault`);
    } finally {
      server.setFaults(undefined);
    }
  });
});
