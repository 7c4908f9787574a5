import { afterAll, beforeAll, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { createClient } from '../../sdk/src/generated/client/index.js';
import { listCrimes } from '../../sdk/src/generated/index.js';
import { startServer, type LiveServer } from './helpers.js';

let server: LiveServer;

beforeAll(async () => {
  server = await startServer({ seed: async (db) => void (await loadSample(db.knex, crimes, silentLogger)) });
});
afterAll(() => server?.stop());

it('serves /v1/crimes to the generated SDK, filters and cursor included', async () => {
  const client = createClient({ baseUrl: server.url });
  const first = await listCrimes({ client, query: { limit: 5, primary_type: ['NARCOTICS'] }, throwOnError: true });
  expect(first.data.data).toHaveLength(5);
  expect(first.data.data.every((crime) => crime.primary_type === 'NARCOTICS')).toBe(true);
  expect(first.data.next_cursor).toEqual(expect.any(String));

  const second = await listCrimes({
    client,
    query: { limit: 5, primary_type: ['NARCOTICS'], cursor: first.data.next_cursor! },
    throwOnError: true,
  });
  const firstIds = new Set(first.data.data.map((crime) => crime.id));
  expect(second.data.data.some((crime) => firstIds.has(crime.id))).toBe(false);

  const bad = await listCrimes({ client, query: { limit: -1 } });
  expect(bad.response.status).toBe(400);
  expect(bad.error).toMatchObject({ status: 400, errors: [{ name: 'limit' }] });
});
