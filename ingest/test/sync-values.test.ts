import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { readStatus, renderStatus } from '../../cli/commands/status.js';
import { syncDataset } from '../sync/sync-dataset.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, syncOptions } from './helpers.js';

/**
 * Values the portal really sends that used to be lost or to stop a dataset: whole numbers written
 * as decimals, NUL characters in text, and rows the database refuses.
 */
const PORTAL = 'ijzp-q8t2';
let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer();
  serveFixture(server.store, PORTAL, { rows: 200 });
  const summary = await syncDataset(db, crimes, syncOptions(server, capturingLogger().log));
  expect(summary.status).toBe('synced');
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

type Line = { msg: string; level: number; column?: string; row_id?: string };
const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Line);

describe(`values (${BACKEND})`, () => {
  it('stores a whole number written as a decimal ("391.0") as the integer; a fractional one is NULL with a warning', async () => {
    const template = server.store.rows(PORTAL)[0]!;
    server.store.insert(PORTAL, [
      { ...template, id: '89000001', ward: '39.0', year: '2014.00' },
      { ...template, id: '89000002', ward: '39.5' },
    ]);
    const { log, lines } = capturingLogger();
    const summary = await syncDataset(db, crimes, syncOptions(server, log));
    expect(summary.status).toBe('synced');
    expect(await db.knex('data.crimes').where({ id: 89000001 }).first('ward', 'year')).toEqual({ ward: 39, year: 2014 });
    expect(await db.knex('data.crimes').where({ id: 89000002 }).first('ward')).toEqual({ ward: null });
    const warnings = parsed(lines()).filter((line) => line.msg.startsWith('malformed value stored as NULL'));
    expect(warnings.map((line) => line.msg)).toEqual(['malformed value stored as NULL: ward: expected an integer, got "39.5"']);
  });

  it('strips NUL characters from text instead of failing the sync, with one warning per column per sync', async () => {
    const template = server.store.rows(PORTAL)[0]!;
    server.store.insert(PORTAL, [
      { ...template, id: '89000011', block: '001XX N STATE\u0000 ST', description: 'A\u0000B' },
      { ...template, id: '89000012', block: '\u0000002XX N STATE ST' },
    ]);
    const { log, lines } = capturingLogger();
    const summary = await syncDataset(db, crimes, syncOptions(server, log));
    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe('synced');
    const stored = await db.knex('data.crimes').whereIn('id', [89000011, 89000012]).orderBy('id').select('block', 'description');
    expect(stored).toEqual([
      { block: '001XX N STATE ST', description: 'AB' },
      { block: '002XX N STATE ST', description: template.description },
    ]);
    const nul = parsed(lines()).filter((line) => line.msg.startsWith('NUL characters removed'));
    expect(nul.map((line) => line.column).sort()).toEqual(['block', 'description']);
  });

  it('sets a row the database refuses aside with its raw row and reason, stores the rest, shows it in status and retries it next sync', async () => {
    const template = server.store.rows(PORTAL)[0]!;
    const existing = server.store.rows(PORTAL)[1]!;
    // Both pass the mapping but not PostgreSQL: there is no year 0, and numeric stops at 1e131072.
    server.store.insert(PORTAL, [
      { ...template, id: '89000021', date: '0000-01-01T00:00:00.000' },
      { ...template, id: '89000022', description: 'stored beside the refused rows' },
    ]);
    server.store.update(PORTAL, (row) => row[':id'] === existing[':id'], { x_coordinate: '1e999999' });
    const { log, lines } = capturingLogger();
    const summary = await syncDataset(db, crimes, syncOptions(server, log));
    expect(summary.status).toBe('synced');
    expect(summary.sources[0]!.rejectedRows).toBe(2);
    expect(await db.knex('data.crimes').where({ id: 89000022 }).first('description')).toEqual({ description: 'stored beside the refused rows' });
    expect(await db.knex('data.crimes').where({ id: 89000021 }).first()).toBeUndefined();

    const rejects = await db.knex('lakefront.sync_rejects').orderBy('row_id').select('dataset', 'source_id', 'row_id', 'raw', 'reason', 'attempts');
    expect(rejects.map((row) => [row.dataset, row.source_id, row.attempts])).toEqual([
      ['crimes', PORTAL, 1],
      ['crimes', PORTAL, 1],
    ]);
    const byId = new Map(rejects.map((row) => [JSON.parse(row.raw).id as string, row]));
    expect(JSON.parse(byId.get('89000021')!.raw)).toMatchObject({ id: '89000021', date: '0000-01-01T00:00:00.000', ':id': expect.any(String) });
    expect(byId.get('89000021')!.reason).toMatch(/^22008 .*out of range/);
    expect(byId.get(String(existing.id))!.reason).toMatch(/^22003 /);
    expect(parsed(lines()).filter((line) => line.msg.startsWith('row set aside in the rejects table')).map((line) => line.row_id).sort()).toEqual(
      rejects.map((row) => row.row_id).sort(),
    );
    const status = renderStatus(await readStatus(db.knex), {});
    expect(status).toMatch(/rejects/);
    expect(status.split('\n').find((line) => line.startsWith('crimes '))).toMatch(/\s2\s+0(\s|$)/);

    // Next sync: retried first, still refused (attempt 2). Once acceptable, stored and forgotten.
    await syncDataset(db, crimes, syncOptions(server, capturingLogger().log));
    expect((await db.knex('lakefront.sync_rejects').select('attempts')).map((row) => row.attempts)).toEqual([2, 2]);
    await db.knex('lakefront.sync_rejects').update({ raw: db.knex.raw(`replace(raw, '0000-01-01', '2014-01-01')`) });
    await syncDataset(db, crimes, syncOptions(server, capturingLogger().log));
    expect(await db.knex('data.crimes').where({ id: 89000021 }).first('date')).toBeDefined();
    expect((await db.knex('lakefront.sync_rejects').select('row_id')).map((row) => row.row_id)).toEqual([existing[':id']]);
  });
});
