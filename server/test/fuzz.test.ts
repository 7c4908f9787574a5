import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import type { Database } from '../../core/db/connect.js';
import { silentLogger } from '../../core/log.js';
import { loadSample } from '../../ingest/load-sample.js';
import { MAX_PAGE_ROWS } from '../src/limits.js';
import { specOperations } from '../src/spec.js';
import { startGuardedServer, type GuardedServer } from './support/guarded-server.js';
import { requestsFor, type GeneratedRequest } from './support/request-generator.js';

/**
 * Hostile input against every GET operation in the spec: generated from the parameter schemas
 * (so new endpoints are covered without editing this file), then mutated. Fixed seed: a failure
 * replays exactly; each one found becomes a case in `regressions` below.
 */
const SEED = 20261127;
// Over the 5,000 a run that the hostile-input issue asks for, with room for a loaded CI machine.
const TOTAL_REQUESTS = 6_000;
const CONCURRENCY = 12;

/** Things a response must never show a client: stack frames, source paths, SQL errors, credentials. */
const LEAKS = /\bat [\w$.<>]+ \(|\.ts:\d+|\/work\/|node_modules|postgres(ql)?:\/\/|syntax error at|relation "|column "[^"]*" does not exist|SQLSTATE|knex|pg_shadow.*\bpasswd\b.*\brow/i;

let server: GuardedServer;

/** Real rows, few of them: the fuzzer is about input handling, and full exports must stay cheap. */
async function seedSmall(db: Database): Promise<void> {
  await loadSample(db.knex, crimes, silentLogger);
  await db.knex.raw('DELETE FROM data.crimes WHERE id % 25 <> 0');
}

beforeAll(async () => {
  // Exports are bounded separately (limits.test.ts); here every request must get a real answer.
  // Responses are not schema-checked here (the endpoint tests do that): this is about volume.
  server = await startGuardedServer({ limits: { maxConcurrentExports: 1000, maxConcurrentHeavy: 1000 }, seed: seedSmall, validateResponses: false, captureLogs: false });
});
afterAll(() => server?.stop());

interface Outcome {
  readonly request: GeneratedRequest;
  readonly status: number;
  readonly problem: string | undefined;
}

/**
 * One request. A reset before any response byte is the keep-alive race (the server closed an idle
 * socket as the client reused it): that is retried once on a new socket. A server that dies, or
 * cuts a response it had started, still fails the check.
 */
async function fetchOnce(request: GeneratedRequest): Promise<Response> {
  try {
    return await fetch(server.url + request.path, { headers: request.headers });
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
    return fetch(server.url + request.path, { headers: request.headers });
  }
}

/** Checks one response; returns what was wrong with it, or undefined. */
async function check(request: GeneratedRequest): Promise<Outcome | undefined> {
  let response: Response;
  try {
    response = await fetchOnce(request);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { request, status: 0, problem: `no response: ${(error as Error).message} ${cause?.code ?? ''} ${cause?.message ?? ''}` };
  }
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const fail = (problem: string): Outcome => ({ request, status: response.status, problem: `${problem}: ${text.slice(0, 300)}` });
  if (response.status >= 500) return fail('server error');
  if (response.status >= 400) {
    if (!type.startsWith('application/problem+json')) return fail(`4xx as ${type}`);
    let body: { status?: unknown; title?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return fail('4xx body is not JSON');
    }
    if (body.status !== response.status || typeof body.title !== 'string') return fail('problem body does not match its status');
    if (LEAKS.test(text)) return fail('error body leaks internals');
  }
  if (response.status === 200 && /^application\/(geo\+)?json/.test(type)) {
    // No page is larger than the spec's maximum limit, whatever number form asked for it.
    let rows: { data?: unknown; features?: unknown };
    try {
      rows = (JSON.parse(text) as typeof rows) ?? {};
    } catch {
      return fail('200 JSON body does not parse');
    }
    const page = Array.isArray(rows.data) ? rows.data : Array.isArray(rows.features) ? rows.features : [];
    if (page.length > MAX_PAGE_ROWS) return fail(`a page of ${page.length} rows`);
  }
  const leakingHeaders: string[] = [];
  response.headers.forEach((value, name) => void (LEAKS.test(value) && leakingHeaders.push(name)));
  if (leakingHeaders.length) return fail(`header ${leakingHeaders.join(', ')} leaks internals`);
  return undefined;
}

async function runAll(requests: readonly GeneratedRequest[]): Promise<Outcome[]> {
  const failures: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const outcome = await check(requests[next++]!);
      if (outcome) failures.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

/** A real next_cursor per list endpoint, for the generator to break. */
async function realCursors(): Promise<string[]> {
  const cursors: string[] = [];
  for (const operation of specOperations()) {
    if (operation.path.includes('{') || !operation.parameters.some((parameter) => parameter.name === 'cursor')) continue;
    const page = await server.request(`${operation.path}?limit=1`);
    if (page.status === 200 && typeof page.body?.next_cursor === 'string') cursors.push(page.body.next_cursor);
  }
  return cursors;
}

describe('fuzzing every GET endpoint of the spec', () => {
  it(`answers ${TOTAL_REQUESTS} generated and mutated requests with 2xx or problem+json 4xx, leaking nothing`, async () => {
    const operations = specOperations().filter((operation) => operation.method === 'get');
    expect(operations.length).toBeGreaterThanOrEqual(4);
    const cursors = await realCursors();
    expect(cursors.length).toBeGreaterThan(0);
    const perOperation = Math.ceil(TOTAL_REQUESTS / operations.length);
    const requests = operations.flatMap((operation, index) => fc.sample(requestsFor(operation, cursors), { seed: SEED + index, numRuns: perOperation }));
    expect(requests.length).toBeGreaterThanOrEqual(TOTAL_REQUESTS);

    const failures = await runAll(requests);
    // Shown in full so each can be pasted into `regressions` below.
    const byKind = new Map(failures.map((failure) => [`${failure.status} ${failure.request.path.split('?')[0]}`, failure]));
    expect([...byKind.values()].slice(0, 10)).toEqual([]);

    // Still alive and still serving.
    expect((await server.request('/healthz')).status).toBe(200);
    expect((await server.request('/readyz')).status).toBe(200);
  }, 600_000);
});

/** Requests the fuzzer (or review) found to break something once; each must stay fixed. */
describe('fuzz regressions', () => {
  const cases: [string, GeneratedRequest][] = [
    ['a limit past 2^53', { path: '/v1/crimes?limit=99999999999999999999999', headers: {} }],
    ['a NUL byte in a filter', { path: '/v1/crimes?primary_type=%00', headers: {} }],
    ['a NUL byte in a parameter name', { path: '/v1/crimes?%00=1', headers: {} }],
    ['an integer filter past int4', { path: '/v1/reports/cta-station-entries/monthly?station_id=117127986875320945337956&from=1999-04-25&to=2019-05-26', headers: {} }],
    ['a non-number for an integer filter', { path: '/v1/reports/cta-station-entries/monthly?station_id=-Infinity&to=2005-05-13', headers: {} }],
    ['a cursor of another shape', { path: `/v1/crimes?cursor=${Buffer.from('{"s":"crimes:date-desc","v":[{}]}').toString('base64url')}`, headers: {} }],
    ['a malformed percent escape', { path: '/v1/crimes?primary_type=%E0%A4%A', headers: {} }],
    ['an unsatisfiable Accept', { path: '/v1/crimes', headers: { accept: 'image/png' } }],
    ['prototype keys in the query', { path: '/v1/crimes?__proto__[x]=1&constructor[prototype][x]=1', headers: {} }],
    ['an infinite limit', { path: '/v1/crimes?limit=Infinity', headers: {} }],
    ['bracket notation on a list parameter', { path: '/v1/crimes?fields[a]=id', headers: {} }],
    ['bracket notation on a filter', { path: '/v1/crimes?zip[a]=1', headers: {} }],
    ['an over-long URL', { path: `/v1/crimes?primary_type=${'A'.repeat(20_000)}`, headers: {} }],
    ['an over-long header', { path: '/v1/crimes', headers: { 'x-filler': 'x'.repeat(20_000) } }],
  ];
  it.each(cases)('%s', async (_name, request) => {
    expect(await check(request)).toBeUndefined();
  });
});
