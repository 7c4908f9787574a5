import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const SPEC_PATH = new URL('../../openapi/lakefront.yaml', import.meta.url);

export interface ParameterObject {
  readonly name: string;
  readonly in: 'query' | 'path' | 'header' | 'cookie';
  readonly schema?: SchemaObject;
  readonly style?: string;
  readonly explode?: boolean;
}

export interface SchemaObject {
  readonly type?: string | readonly string[];
  readonly items?: SchemaObject;
  readonly default?: unknown;
  readonly $ref?: string;
  readonly [key: string]: unknown;
}

interface OperationObject {
  readonly operationId: string;
  readonly parameters?: readonly (ParameterObject | { $ref: string })[];
}

export interface OpenApiDocument {
  readonly paths: Record<string, Partial<Record<string, OperationObject>>>;
  readonly components?: { parameters?: Record<string, ParameterObject>; schemas?: Record<string, SchemaObject> };
  readonly [key: string]: unknown;
}

export interface SpecOperation {
  readonly operationId: string;
  readonly method: string;
  /** Path in the spec's template form, e.g. `/v1/crimes`. */
  readonly path: string;
  readonly parameters: readonly ParameterObject[];
}

/** The contract, read once. Callers that hand it to a library that mutates it must clone it. */
export const spec: OpenApiDocument = parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDocument;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export function specOperations(document: OpenApiDocument = spec): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = (operation.parameters ?? []).map((parameter) => resolveParameter(document, parameter));
      operations.push({ operationId: operation.operationId, method, path, parameters });
    }
  }
  return operations;
}

function resolveParameter(document: OpenApiDocument, parameter: ParameterObject | { $ref: string }): ParameterObject {
  if (!('$ref' in parameter)) return { ...parameter, schema: resolveSchema(document, parameter.schema) };
  const name = parameter.$ref.replace('#/components/parameters/', '');
  const resolved = document.components?.parameters?.[name];
  if (!resolved) throw new Error(`unresolved parameter reference ${parameter.$ref}`);
  return { ...resolved, schema: resolveSchema(document, resolved.schema) };
}

function resolveSchema(document: OpenApiDocument, schema: SchemaObject | undefined): SchemaObject | undefined {
  if (!schema?.$ref) return schema;
  return document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
}
