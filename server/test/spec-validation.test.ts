import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/log.js';
import { rejectNulInQuery } from '../src/middleware/query-hygiene.js';
import { canonicalQuery } from '../src/middleware/query-shape.js';
import { validateAgainstSpec } from '../src/middleware/spec-validation.js';
import { problemHandler } from '../src/problems.js';
import { spec, specOperations } from '../src/spec.js';
import { percentEncode, requestsFor, validValue } from './support/request-generator.js';

/**
 * The precompiled check in front of express-openapi-validator must never change an answer: the
 * same requests, valid and hostile (generated from the spec's own parameter schemas), go to an app
 * with the check and to one with express-openapi-validator alone, and every status and body must
 * be equal. The validator alone is the reference; no database is involved.
 */
const SEED = 20261207;
const operations = specOperations().filter((operation) => operation.method === 'get');

/** Marks the responses to requests that reached express-openapi-validator. */
function marked(middleware: RequestHandler[]): RequestHandler[] {
  return [
    (_req, res, next) => {
      res.setHeader('X-Full-Validation', 'yes');
      next();
    },
    ...middleware,
  ];
}

function validator(): RequestHandler[] {
  return OpenApiValidator.middleware({
    apiSpec: structuredClone(spec) as never,
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: true },
    validateResponses: false,
    validateFormats: true,
    validateSecurity: false,
    fileUploader: false,
    $refParser: { mode: 'dereference' },
  }) as RequestHandler[];
}

/** The app's query handling up to the validator, then a handler that answers what it was given. */
async function start(withFastCheck: boolean): Promise<{ server: Server; url: string }> {
  const app = express();
  app.set('query parser', 'simple');
  app.use(rejectNulInQuery);
  app.use(canonicalQuery(operations));
  app.use(withFastCheck ? validateAgainstSpec(operations, marked(validator())) : validator());
  app.use((req, res) => {
    res.json({ reached: req.path });
  });
  app.use(problemHandler(silentLogger));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let fast: { server: Server; url: string };
let reference: { server: Server; url: string };

beforeAll(async () => {
  fast = await start(true);
  reference = await start(false);
});
afterAll(async () => {
  await Promise.all([fast, reference].map((target) => new Promise((resolve) => target?.server.close(resolve))));
});

async function answer(url: string): Promise<{ status: number; body: string; fullyValidated: boolean }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text(), fullyValidated: response.headers.has('x-full-validation') };
}

/** Requests whose every parameter holds a valid value: the ones the fast check is for. */
function validRequests(operation: (typeof operations)[number]): fc.Arbitrary<string> {
  const query = operation.parameters.filter((parameter) => parameter.in === 'query' && parameter.name !== 'cursor');
  return fc
    .tuple(...query.map((parameter) => fc.option(validValue(parameter.schema ?? {}, []).map((value) => `${parameter.name}=${percentEncode(value)}`), { nil: undefined })))
    .map((pairs) => {
      const present = pairs.filter((pair): pair is string => pair !== undefined);
      return present.length ? `${operation.path}?${present.join('&')}` : operation.path;
    });
}

/** Compares every answer; returns how many were 200, and how many of those went through the full validator. */
async function compareAll(paths: readonly string[]): Promise<{ ok: number; okFullyValidated: number }> {
  let ok = 0;
  let okFullyValidated = 0;
  for (let start = 0; start < paths.length; start += 16) {
    await Promise.all(
      paths.slice(start, start + 16).map(async (path) => {
        const [got, expected] = await Promise.all([answer(fast.url + path), answer(reference.url + path)]);
        expect({ path, status: got.status, body: got.body }).toEqual({ path, status: expected.status, body: expected.body });
        if (expected.status === 200) ok += 1;
        if (expected.status === 200 && got.fullyValidated) okFullyValidated += 1;
      }),
    );
  }
  return { ok, okFullyValidated };
}

describe('the precompiled spec check', () => {
  it('answers valid requests as the validator does, without running the validator', async () => {
    const paths = operations.flatMap((operation, index) => fc.sample(validRequests(operation), { seed: SEED + index, numRuns: 10 }));
    const { ok, okFullyValidated } = await compareAll(paths);
    // Many generated values are valid; the rest are refused by both (duplicate list items, numbers
    // the generator writes with an exponent, which the canonical query refuses before either check).
    expect(ok).toBeGreaterThan(paths.length * 0.4);
    // Every request that passed, passed without the full validator.
    expect(okFullyValidated).toBe(0);
  });

  it('passes the requests of the benchmark and the README without the validator', async () => {
    const paths = [
      '/v1/crimes?primary_type=THEFT&from=2019-01-01&to=2019-02-01&limit=100',
      '/v1/crimes?primary_type=THEFT,BATTERY&fields=id,date&order=-date',
      '/v1/crimes/aggregate?group_by=primary_type&bucket=month&limit=3',
      '/v1/crimes/aggregate?group_by=geo_community_area,arrest&geo_zip=60614&limit=3',
      '/v1/taxi-trips/aggregate?group_by=company&avg=fare,trip_miles&order=-avg_fare&limit=3&format=csv',
      '/v1/reports/crimes/by-zip?from=2019-01-01&to=2020-01-01',
      '/v1/reports/crimes/trends?zip=60614&interval=month',
      '/v1/datasets',
      '/healthz',
    ];
    expect(await compareAll(paths)).toEqual({ ok: paths.length, okFullyValidated: 0 });
  });

  it('answers hostile and mixed requests exactly as the validator does', async () => {
    const paths = operations.flatMap((operation, index) => fc.sample(requestsFor(operation, []), { seed: SEED + 1000 + index, numRuns: 25 }).map((request) => request.path));
    const { ok } = await compareAll(paths);
    expect(ok).toBeGreaterThan(0);
  });

  it('sends HEAD, other cases of a path, repeats and unknown names to the validator', async () => {
    const paths = [
      '/v1/crimes?limit=5&limit=6',
      '/v1/crimes?primary_type=THEFT&primary_type=BATTERY',
      '/V1/CRIMES?limit=5',
      '/v1/crimes/?limit=5',
      '/v1/crimes?limit=',
      '/v1/crimes?nope=1',
      '/v1/crimes?limit=5&',
      '/v1/crimes?&limit=5',
      '/v1/crimes?lim%69t=5',
      '/v1/crimes?primary_type=THEFT%2CBATTERY',
      '/v1/crimes?limit=1001',
      '/v1/reports/crimes/trends',
      '/v1/nothing-here?limit=5',
    ];
    await compareAll(paths);
    const head = await Promise.all([fast, reference].map((target) => fetch(`${target.url}/v1/crimes?limit=5`, { method: 'HEAD' }).then((response) => response.status)));
    expect(head[0]).toBe(head[1]);
  });
});
