import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { zipCodes } from '../../core/datasets/zip-codes.js';
import type { LiveServer } from '../../server/test/helpers.js';
import { createLakefront, type Crime } from '../src/index.js';
import { startSampleServer } from './live-server.js';

/*
 * Types that accept normal code: checked by tsc (the repository's typecheck compiles this file;
 * the consumer test compiles the same snippets under exactOptionalPropertyTypes), and run here
 * against the real server so that what the types say is what arrives.
 */
let server: LiveServer;
beforeAll(async () => {
  // ZIP boundaries too: `zip` filters on the ZIP each crime's point falls in.
  server = await startSampleServer([zipCodes, crimes]);
});
afterAll(() => server?.stop());

describe('parameters', () => {
  it('take a union of parameter objects, as a conditional gives it', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    for (const theft of [true, false]) {
      const params = theft ? { primaryType: ['THEFT'] } : { zip: ['60614'] };
      const page = await lf.crimes.list({ ...params, limit: 5 });
      expect(page.data).toHaveLength(5);
      for (const row of page.data) expect(theft ? row.primary_type : row.geo_zip).toBe(theft ? 'THEFT' : '60614');
    }
  });

  it('take one value or an array wherever the API takes a list (booleans and numbers too)', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const one = await lf.crimes.list({ arrest: true, ward: 42, primaryType: 'NARCOTICS', limit: 3 });
    const many = await lf.crimes.list({ arrest: [true], ward: [42] as const, primaryType: ['NARCOTICS'], limit: 3 });
    expect(one.data.length).toBeGreaterThan(0);
    expect(one.data).toEqual(many.data);
    for (const row of one.data) expect(row).toMatchObject({ arrest: true, ward: 42, primary_type: 'NARCOTICS' });
  });

  it('take `cursor: string | undefined` in a pagination loop', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await lf.crimes.list({ primaryType: 'THEFT', from: '2014-03-01', to: '2014-03-04', limit: 20, cursor });
      cursor = page.next_cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
  });

  it('reject a misspelt parameter or a wrong value with a plain message (checked by tsc)', () => {
    const lf = createLakefront({ baseUrl: server.url });
    // @ts-expect-error 'primary_type' does not exist … Did you mean to write 'primaryType'?
    const typo = () => lf.crimes.list({ primary_type: ['THEFT'] });
    // @ts-expect-error Type 'string' is not assignable to type 'boolean | readonly boolean[] | undefined'
    const wrong = () => lf.crimes.list({ arrest: 'yes' });
    expect([typo, wrong]).toHaveLength(2);
  });
});

describe('fields', () => {
  it('type the rows as the server sends them: the chosen columns and the key', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const page = await lf.crimes.list({ fields: ['block'], limit: 2 });
    expectTypeOf(page.data[0]!).toEqualTypeOf<{ id: number; block: string | null }>();
    for (const row of page.data) expect(Object.keys(row).sort()).toEqual(['block', 'id']);

    const single = await lf.crimes.list({ fields: 'date', limit: 1 });
    expectTypeOf(single.data[0]!).toEqualTypeOf<{ id: number; date: string | null }>();
    expect(Object.keys(single.data[0]!).sort()).toEqual(['date', 'id']);
  });

  it('leave every column possibly absent, but the key, when fields is not known statically', async () => {
    const lf = createLakefront({ baseUrl: server.url });
    const chosen: Array<keyof Crime> = ['primary_type'];
    const page = await lf.crimes.list({ fields: chosen, limit: 1 });
    expectTypeOf(page.data[0]!.id).toEqualTypeOf<number>();
    expectTypeOf(page.data[0]!.primary_type).toEqualTypeOf<string | null | undefined>();
    expect(Object.keys(page.data[0]!).sort()).toEqual(['id', 'primary_type']);
  });
});

describe('documentation', () => {
  it('every parameter of every dataset (list, rows, aggregate) and report carries its description from the spec into the editor', () => {
    const file = fileURLToPath(new URL('./types-doc-probe.ts', import.meta.url));
    // The client as an editor sees it: the checker's view of `lf`, each method's first parameter.
    const program = ts.createProgram([file], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file)!;
    const undocumented: string[] = [];
    let parameters = 0;
    const lf = checker.getTypeAtLocation((source.statements.at(-1) as ts.VariableStatement).declarationList.declarations[0]!.name);
    const member = (type: ts.Type, name: string) => checker.getTypeOfSymbol(type.getProperty(name)!);
    const methods: Array<[string, ts.Type]> = [];
    for (const resource of lf.getProperties()) {
      const type = checker.getTypeOfSymbol(resource);
      if (resource.name === 'reports' || resource.name === 'boundaries') {
        for (const endpoint of type.getProperties()) methods.push([`${resource.name}.${endpoint.name}`, checker.getTypeOfSymbol(endpoint)]);
      } else if (resource.name !== 'datasets') {
        for (const method of ['list', 'rows', 'aggregate']) methods.push([`${resource.name}.${method}`, member(type, method)]);
      }
    }
    for (const [name, method] of methods) {
      const signature = method.getCallSignatures()[0]!;
      const params = checker.getNonNullableType(checker.getTypeOfSymbol(signature.getParameters()[0]!));
      for (const property of params.getProperties()) {
        // `bucket?: undefined` where a dataset has no time column: nothing can be passed, so nothing to describe.
        if (checker.getNonNullableType(checker.getTypeOfSymbol(property)).flags & ts.TypeFlags.Never) continue;
        parameters += 1;
        if (!ts.displayPartsToString(property.getDocumentationComment(checker)).trim()) undocumented.push(`${name}: ${property.name}`);
      }
    }
    expect(parameters).toBeGreaterThan(300);
    expect(undocumented).toEqual([]);
  });
});
