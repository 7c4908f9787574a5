import { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * Request and response classes for node:http whose objects are born with the app's Express
 * prototypes (`app.request`, `app.response`, themselves built on IncomingMessage and
 * ServerResponse). Express sets those prototypes on every request it handles
 * (`Object.setPrototypeOf` in `app.handle`); on objects node:http made as plain IncomingMessage and
 * ServerResponse that changes their shape per request, and every later property access, in Node's
 * own HTTP code too, takes V8's slow path. Born with the prototype, Express's set is a no-op.
 * Measured on the list page at 8 connections (README, "Read API"): the API's main thread went from
 * 0.98-1.19 to 0.69-0.94 ms of CPU a request, and Express with one route from 0.47-0.57 to 0.40.
 */
export function expressBornServerOptions(app: Express): { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } {
  // node:http constructs these with `new`; IncomingMessage and ServerResponse are plain
  // constructor functions, so a function that calls them and has another prototype is a subclass.
  function Request(this: IncomingMessage, socket: unknown): void {
    (IncomingMessage as unknown as (this: IncomingMessage, socket: unknown) => void).call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: ServerResponse, req: unknown, options: unknown): void {
    (ServerResponse as unknown as (this: ServerResponse, req: unknown, options: unknown) => void).call(this, req, options);
  }
  Response.prototype = app.response;
  return { IncomingMessage: Request as unknown as typeof IncomingMessage, ServerResponse: Response as unknown as typeof ServerResponse };
}
