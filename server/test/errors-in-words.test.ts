import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specOperations } from '../src/spec.js';
import { startServer, type LiveServer } from './helpers.js';

/** A bad parameter is answered in words: its name and the form it takes, never a regular expression. */
let server: LiveServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

async function badRequest(path: string): Promise<{ detail: string; errors: { name: string; message: string }[] }> {
  const { status, body } = await server.get(path);
  expect(status, path).toBe(400);
  return body;
}

describe('400s in words', () => {
  it.each([
    ['/v1/crimes?from=2024-1-1', 'from', 'expected a date like 2024-01-31 or 2024-01-31T13:45:00'],
    ['/v1/crimes?zip=606', 'zip', 'expected a 5-digit ZIP code like 60614'],
    ['/v1/reports/crimes/by-zip?from=March&to=2014-04-01', 'from', 'expected a date like 2024-01-31'],
    ['/v1/crimes?limit=abc', 'limit', 'must be a whole number written in decimal digits (for example 100)'],
    ['/v1/crimes?limit=0', 'limit', 'expected a number of at least 1'],
    ['/v1/crimes?arrest=maybe', 'arrest', 'expected true or false'],
    ['/v1/crimes?bbox=1,2', 'bbox', 'expected at least 4 comma-separated values'],
    ['/v1/crimes?order=nope', 'order', 'expected one of -date, date, id, -id'],
    ['/v1/crimes?bogus=1', 'bogus', 'is not a parameter of this endpoint (see /docs)'],
    ['/v1/reports/crimes/by-zip?to=2014-04-01', 'from', 'is required; expected a date like 2024-01-31'],
    ['/v1/reports/crimes/trends', 'zip', 'is required; expected a 5-digit ZIP code like 60614, or several comma-separated'],
  ])('%s names %s: %s', async (path, name, message) => {
    const body = await badRequest(path);
    expect(body.errors).toContainEqual(expect.objectContaining({ name, message }));
    expect(body.detail).toContain(`${name}: ${message}`);
  });

  it('says what a real date looks like when the date does not exist', async () => {
    const body = await badRequest('/v1/crimes?from=2014-02-30');
    expect(body.detail).toBe('from: "2014-02-30" is not a real date or time; expected a date like 2024-01-31 or 2024-01-31T13:45:00');
  });

  it('words every pattern of the spec: no 400 shows a regular expression', async () => {
    const valid: Record<string, string> = { from: '2014-03-01', to: '2014-03-02', zip: '60614', interval: 'month' };
    let checked = 0;
    for (const operation of specOperations()) {
      for (const parameter of operation.parameters) {
        const pattern = parameter.schema?.pattern ?? parameter.schema?.items?.pattern;
        if (parameter.in !== 'query' || typeof pattern !== 'string') continue;
        const query = new URLSearchParams({ ...valid, [parameter.name]: 'not-valid' });
        // Only the parameters this operation has, so the one error is the one under test.
        for (const name of Object.keys(valid)) if (!operation.parameters.some((item) => item.name === name)) query.delete(name);
        const body = await badRequest(`${operation.path}?${query}`);
        const error = body.errors.find((item) => item.name === parameter.name);
        expect(error?.message, `${operation.operationId} ${parameter.name}`).toMatch(/^expected /);
        expect(body.detail).not.toMatch(/[\\^$]|\{\d/);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});
