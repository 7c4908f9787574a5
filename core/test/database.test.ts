import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/connect.js';
import { migrateLatest, rollbackAll } from '../db/migrate.js';
import { createTestDatabase } from '../testing/test-database.js';

let db: Database;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(() => db?.close());

describe(`database (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('applies every migration, rolls all of them back, and applies them again', async () => {
    const applied = await migrateLatest(db.knex);
    expect(applied.length).toBeGreaterThan(1);
    expect(applied).toEqual([...applied].sort());
    expect(await db.knex.schema.withSchema('data').hasTable('crimes')).toBe(true);

    const reverted = await rollbackAll(db.knex);
    expect(reverted.sort()).toEqual([...applied].sort());
    expect(await db.knex.schema.withSchema('data').hasTable('crimes')).toBe(false);

    expect(await migrateLatest(db.knex)).toEqual(applied);
    expect(await migrateLatest(db.knex)).toEqual([]);
  });

  it('returns the same JSON values on both backends', async () => {
    const result = await db.knex.raw(`
      SELECT 9532593::bigint AS big, count(*) AS counted, 35::int AS small, 1155318.5::numeric AS decimal,
             41.93193179666549::double precision AS latitude, true AS flag, NULL::text AS missing,
             '2014-03-15 23:59:00'::timestamp AS local_time,
             '2014-04-11T11:51:05.652Z'::timestamptz AS instant,
             '2014-03-15'::date AS day
      FROM (VALUES (1), (2)) AS t(x)`);
    expect(JSON.parse(JSON.stringify(result.rows[0]))).toEqual({
      big: 9532593,
      counted: 2,
      small: 35,
      decimal: 1155318.5,
      latitude: 41.93193179666549,
      flag: true,
      missing: null,
      local_time: '2014-03-15T23:59:00',
      instant: '2014-04-11T11:51:05.652Z',
      day: '2014-03-15',
    });
  });
});
