import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createSodaClient, type RetryNotice } from '../socrata/client.js';
import { SocrataError } from '../socrata/errors.js';

/** A portal that cannot be reached fails at once with one line; a flaky one is still retried. */
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listening(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: bound, read, closed again. */
async function refusingUrl(): Promise<string> {
  const probe = createHttpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function failure(baseUrl: string): Promise<{ error: SocrataError; retries: RetryNotice[] }> {
  const retries: RetryNotice[] = [];
  const client = createSodaClient({ baseUrl, retries: 3, minTimeoutMs: 5, maxTimeoutMs: 10, onRetry: (notice) => retries.push(notice) });
  const error = await client.query('ijzp-q8t2', { limit: 1 }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SocrataError);
  return { error: error as SocrataError, retries };
}

describe('an unreachable portal', () => {
  it('refusing connections fails on the first attempt, in one line naming the URL and LAKEFRONT_SOCRATA_URL', async () => {
    const url = await refusingUrl();
    const { error, retries } = await failure(url);
    expect(retries).toEqual([]);
    expect(error.message).toBe(`Socrata ijzp-q8t2: cannot reach ${url} (ECONNREFUSED); check the network, or set LAKEFRONT_SOCRATA_URL`);
  });

  it('whose host name does not resolve fails on the first attempt too', async () => {
    const { error, retries } = await failure('http://lakefront-no-such-portal.invalid');
    expect(retries).toEqual([]);
    expect(error.message).toMatch(/^Socrata ijzp-q8t2: cannot reach http:\/\/lakefront-no-such-portal\.invalid \((ENOTFOUND|EAI_AGAIN)\); check the network, or set LAKEFRONT_SOCRATA_URL$/);
  });

  it('that resets connections is still retried', async () => {
    let connections = 0;
    const url = await listening(
      createServer((socket) => {
        connections += 1;
        socket.resetAndDestroy();
      }),
    );
    const { error, retries } = await failure(url);
    expect(retries).toHaveLength(3);
    expect(connections).toBe(4);
    expect(error.failure).toBe('network');
  });
});
