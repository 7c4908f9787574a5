import type { Request } from 'express';

const parsed = new WeakMap<Request, URLSearchParams>();

/** The request's query parameters, decoded; parsed once per request, though several layers read them. */
export function queryParamsOf(req: Request): URLSearchParams {
  let params = parsed.get(req);
  if (!params) {
    const start = req.originalUrl.indexOf('?');
    params = new URLSearchParams(start === -1 ? '' : req.originalUrl.slice(start + 1));
    parsed.set(req, params);
  }
  return params;
}
