import type { RequestHandler } from 'express';
import { HttpProblem } from '../problems.js';

/**
 * Postgres text cannot hold NUL, so a NUL in any query value would fail deep in a query. It is
 * refused up front with a 400 that names the parameter, before the validator or a handler runs.
 */
export const rejectNulInQuery: RequestHandler = (req, _res, next) => {
  const query = req.originalUrl.indexOf('?');
  if (query === -1 || !/%00|\0/.test(req.originalUrl)) {
    next();
    return;
  }
  for (const [name, value] of new URLSearchParams(req.originalUrl.slice(query + 1))) {
    if (name.includes('\0') || value.includes('\0')) {
      const shown = name.replaceAll('\0', '\\0').slice(0, 100);
      next(new HttpProblem(400, 'Bad Request', `${shown}: must not contain NUL characters`, [{ name: shown, in: 'query', message: 'must not contain NUL characters' }]));
      return;
    }
  }
  next();
};
