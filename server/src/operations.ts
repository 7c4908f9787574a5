import type { Express, Request, RequestHandler, Response } from 'express';
import type { operations } from './generated/api.js';
import { queryParamsOf } from './query-params.js';
import { specOperations, type ParameterObject, type SchemaObject } from './spec.js';

export type OperationId = keyof operations;

type Parameters<K extends OperationId> = operations[K]['parameters'];
export type QueryOf<K extends OperationId> = Parameters<K> extends { query?: infer Q } ? NonNullable<Q> : never;
export type PathParamsOf<K extends OperationId> = Parameters<K> extends { path?: infer P } ? NonNullable<P> : never;
type Responses<K extends OperationId> = operations[K]['responses'];
export type JsonBodyOf<K extends OperationId> = Responses<K> extends { 200: { content: { 'application/json': infer B } } } ? B : never;

/** Returned by a handler that wrote the response itself (streams, 304s). */
export const RESPONDED = Symbol('responded');

/**
 * A JSON body of operation K that is already serialized (PostgreSQL renders list pages): sent as
 * it is, without a parse and a re-serialization. When responses are validated (tests), it is
 * parsed and goes through `res.json`, where the validator checks it like any other body.
 */
export class JsonText<K extends OperationId> {
  declare private readonly operation: K;
  /** The body is these pieces one after another (a page's head, its rows, its tail), each sent as it is. */
  readonly pieces: readonly string[];
  constructor(...pieces: string[]) {
    this.pieces = pieces;
  }

  get text(): string {
    return this.pieces.join('');
  }
}

export interface OperationContext<K extends OperationId> {
  /** Query parameters, validated against the spec and converted to their declared types, defaults applied. */
  readonly query: QueryOf<K>;
  readonly path: PathParamsOf<K>;
  readonly req: Request;
  readonly res: Response;
}

export type Handler<K extends OperationId> = (context: OperationContext<K>) => Promise<JsonBodyOf<K> | JsonText<K> | typeof RESPONDED>;

/** One handler per operation in the spec: a new operation without a handler fails `tsc`. */
export type Handlers = { readonly [K in OperationId]: Handler<K> };

type Serve = (req: Request, res: Response) => Promise<void>;

/** Every operation's server, by exact spec path (GETs without path parameters) and as Express routes. */
export interface OperationServers {
  readonly exact: ReadonlyMap<string, Serve>;
  readonly routes: readonly [route: string, method: 'get', serve: Serve][];
}

/** One server per operation in the spec, each running its handler. */
export function operationServers(handlers: Handlers, options: { validateResponses: boolean }): OperationServers {
  const exact = new Map<string, Serve>();
  const routes: [string, 'get', Serve][] = [];
  for (const operation of specOperations()) {
    const handler = handlers[operation.operationId as OperationId] as Handler<OperationId> | undefined;
    if (!handler) throw new Error(`no handler for operation ${operation.operationId}`);
    const serve = operationServer(handler, operation.parameters, options);
    if (operation.method === 'get' && !operation.path.includes('{')) {
      exact.set(operation.path, async (req, res) => {
        // What the metrics label the request with (middleware/metrics.ts), as Express's req.route would.
        res.locals.route = operation.path;
        await serve(req, res);
      });
    }
    routes.push([operation.path.replace(/\{([^}]+)\}/g, ':$1'), operation.method as 'get', serve]);
  }
  return { exact, routes };
}

/**
 * Serves a GET on a spec path written exactly as the spec writes it (every client the SDK and the
 * docs produce) from one Map lookup, when `admits` the request; anything else goes on.
 *
 * Mounted twice. As the fast lane, right after the guards, it admits only queries that are plainly
 * valid (middleware/spec-validation.ts): a dataset request sat behind the pages' routes, the
 * validator's layer and a dozen others, which Express tries one by one. Behind the full validator
 * (mountOperations) it admits every request that got that far.
 */
export function exactPathDispatch(servers: OperationServers, admits: (req: Request) => boolean): RequestHandler {
  return (req, res, next) => {
    const serve = req.method === 'GET' ? servers.exact.get(req.path) : undefined;
    if (serve && admits(req)) serve(req, res).catch(next);
    else next();
  };
}

/**
 * Mounts the operations behind the full validator: exact spec paths from one Map lookup, and any
 * other spelling (another letter case, a trailing slash) through Express's routes for the same
 * handlers.
 */
export function mountOperations(app: Express, servers: OperationServers): void {
  app.use(exactPathDispatch(servers, () => true));
  for (const [route, method, serve] of servers.routes) app[method](route, serve);
}

function operationServer(handler: Handler<OperationId>, parameters: readonly ParameterObject[], options: { validateResponses: boolean }) {
  return async (req: Request, res: Response): Promise<void> => {
    const body = await handler({
      query: readQuery(req, parameters) as never,
      path: req.params as never,
      req,
      res,
    });
    if (body === RESPONDED || res.headersSent) return;
    if (!(body instanceof JsonText)) res.json(body);
    else if (options.validateResponses) res.json(JSON.parse(body.text));
    else {
      // Content-Length is set here: the compression layer sends headers before Node could add it
      // (it drops it when it compresses). The pieces go out as strings, written in one tick (Node
      // corks the socket: one writev), so that a page's ~50 KB of rows is neither copied into one
      // string with its head and tail nor into a Buffer. Such a Buffer per page lived in malloc'd
      // memory until a garbage collection freed them all at once; the allocator then gave that
      // memory back to the kernel and faulted it in again on the next socket reads: up to 12 page
      // faults a request in some API processes (README, "Read API"; `npm run bench:api-cpu`).
      let length = 0;
      for (const piece of body.pieces) length += Buffer.byteLength(piece);
      res.setHeader('Content-Type', 'application/json; charset=utf-8').setHeader('Content-Length', length);
      const last = body.pieces.length - 1;
      for (let index = 0; index < last; index += 1) res.write(body.pieces[index]);
      res.end(body.pieces[last]);
    }
  };
}

/**
 * Express 5 re-parses `req.query` on every access, so the validator cannot coerce it in place.
 * Values are already validated; this converts them to their declared types once.
 */
function readQuery(req: Request, parameters: readonly ParameterObject[]): Record<string, unknown> {
  const raw = queryParamsOf(req);
  const query: Record<string, unknown> = {};
  for (const parameter of parameters) {
    if (parameter.in !== 'query') continue;
    const values = raw.getAll(parameter.name);
    const schema = parameter.schema ?? {};
    if (values.length === 0) {
      if (schema.default !== undefined) query[parameter.name] = schema.default;
      continue;
    }
    query[parameter.name] = coerce(schema, values, parameter.explode ?? true);
  }
  return query;
}

function coerce(schema: SchemaObject, values: string[], explode: boolean): unknown {
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== 'null') : schema.type;
  if (type === 'array') {
    const items = explode ? values : values.flatMap((value) => value.split(','));
    return items.map((item) => coerce(schema.items ?? {}, [item], true));
  }
  const value = values[values.length - 1]!;
  switch (type) {
    case 'integer':
    case 'number':
      return Number(value);
    case 'boolean':
      return value === 'true';
    default:
      return value;
  }
}
