import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatus, renderStatus } from '../../cli/commands/status.js';
import { businessLicenses } from '../../core/datasets/business-licenses.js';
import { ctaStationEntries } from '../../core/datasets/cta-station-entries.js';
import type { Database } from '../../core/db/connect.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import * as licenseKeyMigration from '../../migrations/202612062140-business-licenses-key-license-id.js';
import * as ctaKeyMigration from '../../migrations/202612062141-cta-station-entries-key-row-id.js';
import { syncDataset } from '../sync/sync-dataset.js';
import { serveFixture } from '../../testing/fixture-data.js';
import { capturingLogger } from '../../testing/log-capture.js';
import { startSodaServer, type SodaTestServer } from '../../testing/soda-server.js';
import { BACKEND, syncOptions } from './helpers.js';

/** A mirror keeps every portal row: keys the portal guarantees unique, and collisions said out loud. */
const LICENSES = 'r5kz-chrr';
const ENTRIES = '5neh-572f';
let db: Database;
let server: SodaTestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startSodaServer();
  serveFixture(server.store, LICENSES, { rows: 100 });
  // Real 5neh-572f rows (SpellarBot/open-data-catalog socrata/5neh-572f.md sample), plus a second
  // row for station 40010 on 2001-01-01, as the portal has about 600 repeated (station_id, date) pairs.
  server.store.define(ENTRIES, { station_id: 'text', stationname: 'text', date: 'floating_timestamp', daytype: 'text', rides: 'number' }, [
    { station_id: '40010', stationname: 'Austin-Forest Park', date: '2001-01-01T00:00:00.000', daytype: 'U', rides: '290' },
    { station_id: '40020', stationname: 'Harlem-Lake', date: '2001-01-01T00:00:00.000', daytype: 'U', rides: '633' },
    { station_id: '40030', stationname: 'Pulaski-Lake', date: '2001-01-01T00:00:00.000', daytype: 'U', rides: '483' },
    { station_id: '40010', stationname: 'Austin-Forest Park', date: '2001-01-01T00:00:00.000', daytype: 'U', rides: '12' },
  ]);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

type Line = { msg: string; key?: string; row_ids?: string[] };

describe(`keys that keep every row (${BACKEND})`, () => {
  it('keeps two business licenses that share an `id` (81823-20020516 is two licenses on the portal)', async () => {
    const template = server.store.rows(LICENSES)[0]!;
    server.store.insert(LICENSES, [
      { ...template, id: '81823-20020516', license_id: '1000001', legal_name: 'FIRST LICENSE' },
      { ...template, id: '81823-20020516', license_id: '1000002', legal_name: 'SECOND LICENSE' },
    ]);
    const { log, lines } = capturingLogger();
    const summary = await syncDataset(db, businessLicenses, syncOptions(server, log));
    expect(summary.status).toBe('synced');
    const twins = await db.knex('data.business_licenses').where({ id: '81823-20020516' }).orderBy('license_id').select('license_id', 'legal_name');
    expect(twins).toEqual([
      { license_id: '1000001', legal_name: 'FIRST LICENSE' },
      { license_id: '1000002', legal_name: 'SECOND LICENSE' },
    ]);
    expect(Number((await db.knex('data.business_licenses').count({ rows: '*' }).first())!.rows)).toBe(102);
    expect(lines().map((line) => (JSON.parse(line) as Line).msg).filter((msg) => msg.startsWith('two portal rows share'))).toEqual([]);
  });

  it('keeps every CTA station entry, and sums rides over all rows of a station and day', async () => {
    const summary = await syncDataset(db, ctaStationEntries, syncOptions(server, capturingLogger().log));
    expect(summary.status).toBe('synced');
    const austin = await db.knex('data.cta_station_entries').where({ station_id: 40010 }).orderBy('rides').select('rides', 'row_id');
    expect(austin.map((row) => row.rides)).toEqual([12, 290]);
    expect(new Set(austin.map((row) => row.row_id)).size).toBe(2);
    await refreshRollups(db, ['cta-station-entries']);
    const monthly = await db.knex('api.cta_station_entries_monthly').where({ station_id: 40010 }).select('rides');
    expect(monthly.map((row) => Number(row.rides))).toEqual([302]);
  });

  it('warns with both row ids when two different portal rows share a key, and counts it in status', async () => {
    const template = server.store.rows(LICENSES)[1]!;
    const [copy] = server.store.insert(LICENSES, [{ ...template, legal_name: 'SAME license_id, ANOTHER PORTAL ROW' }]);
    const { log, lines } = capturingLogger();
    const summary = await syncDataset(db, businessLicenses, syncOptions(server, log));
    expect(summary.sources[0]!.keyCollisions).toBe(1);
    const warnings = lines().map((line) => JSON.parse(line) as Line).filter((line) => line.msg.startsWith('two portal rows share'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.key).toBe(template.license_id);
    expect(warnings[0]!.row_ids).toEqual([template[':id'], copy![':id']]);
    const status = renderStatus(await readStatus(db.knex), {});
    const header = status.split('\n')[0]!;
    const row = status.split('\n').find((line) => line.startsWith('business-licenses '))!;
    expect(row.slice(header.indexOf('key collisions')).trim()).toMatch(/^1(\s|$)/);
  });
});

describe(`key migrations keep existing rows (${BACKEND})`, () => {
  it('moves business licenses from `id` to `license_id` and CTA entries from (station_id, date) to `row_id`', async () => {
    const local = await createTestDatabase();
    try {
      const { knex } = local;
      await ctaKeyMigration.down(knex);
      await licenseKeyMigration.down(knex);
      const system = (rowId: string) => ({ _source_id: 'x', _row_id: rowId, _updated_at: '2024-01-01T00:00:00Z' });
      await knex('data.cta_station_entries').insert([
        { station_id: 40010, date: '2001-01-01', rides: 290, ...system('row-a') },
        { station_id: 40020, date: '2001-01-01', rides: 633, ...system('row-b') },
      ]);
      await knex('data.business_licenses').insert([
        { id: '1-20020101', license_id: '11', ...system('row-c') },
        { id: '2-20020101', license_id: null, ...system('row-d') },
        { id: '3-20020101', license_id: '11', ...system('row-e'), _updated_at: '2023-01-01T00:00:00Z' },
      ]);
      await licenseKeyMigration.up(knex);
      await ctaKeyMigration.up(knex);
      expect(await knex('data.cta_station_entries').orderBy('row_id').select('row_id', 'station_id', 'rides')).toEqual([
        { row_id: 'row-a', station_id: 40010, rides: 290 },
        { row_id: 'row-b', station_id: 40020, rides: 633 },
      ]);
      expect(await knex('data.business_licenses').select('id', 'license_id')).toEqual([{ id: '1-20020101', license_id: '11' }]);
      // The two rows the new key cannot hold are set aside, whole, with the reason: not dropped.
      const rejects = await knex('lakefront.sync_rejects').orderBy('row_id').select('row_id', 'raw', 'reason');
      expect(rejects.map((row) => [row.row_id, JSON.parse(row.raw).id, row.reason])).toEqual([
        ['row-d', '2-20020101', 'no license_id, the key since migration 202612062140'],
        ['row-e', '3-20020101', 'license_id also held by a newer row (migration 202612062140)'],
      ]);
      const key = await knex.raw(
        `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = 'data.business_licenses'::regclass AND i.indisprimary`,
      );
      expect(key.rows).toEqual([{ name: 'license_id' }]);
    } finally {
      await local.close();
    }
  });
});
