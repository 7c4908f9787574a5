import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Several middlewares run as one layer of Express's router, in the order given, with Express's
 * contract: `next()` goes on, `next(error)` leaves for the error handlers, and so does a throw or
 * a rejected promise. Every request passes the app's cross-cutting guards; as a dozen router
 * layers each one cost a layer match, a path trim and a parameter pass per request.
 */
export function inOrder(...middlewares: readonly RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0;
    const next = (error?: unknown): void => {
      if (error) {
        done(error);
        return;
      }
      const middleware = middlewares[index++];
      if (!middleware) {
        done();
        return;
      }
      let once = false;
      const step = (stepError?: unknown) => {
        // A middleware that calls next twice must not run the rest twice.
        if (once) return;
        once = true;
        next(stepError);
      };
      try {
        const result: unknown = middleware(req, res, step);
        if (result instanceof Promise) result.catch((rejection: unknown) => step(rejection || new Error('Rejected promise')));
      } catch (thrown) {
        step(thrown);
      }
    };
    next();
  };
}
