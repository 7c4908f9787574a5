import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../core/log.js';
import { parameterMessageInWords } from './parameter-words.js';

export interface ParameterError {
  readonly name: string;
  readonly in?: 'query' | 'path' | 'header' | 'body';
  readonly message: string;
}

/** An error that is meant for the client: it becomes a problem+json response as is. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: readonly ParameterError[],
  ) {
    super(detail ?? title);
  }

  static badParameter(name: string, message: string): HttpProblem {
    return new HttpProblem(400, 'Bad Request', `${name}: ${message}`, [{ name, in: 'query', message }]);
  }
}

interface ValidatorError {
  status: number;
  message: string;
  errors?: { path?: string; message?: string }[];
}

function isValidatorError(error: unknown): error is ValidatorError {
  return typeof error === 'object' && error !== null && 'status' in error && Array.isArray((error as ValidatorError).errors);
}

/** express-openapi-validator reports `.query.limit` or `/query/limit`; clients want `limit`. */
function fromValidator(error: ValidatorError): HttpProblem {
  const status = error.status;
  if (status !== 400) {
    const titles: Record<number, string> = { 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 415: 'Unsupported Media Type' };
    // The validator's own wording ("not found") says less than the fallback detail does.
    return new HttpProblem(status, titles[status] ?? 'Error', status === 404 ? undefined : error.message);
  }
  const errors: ParameterError[] = (error.errors ?? []).map((item) => {
    const segments = (item.path ?? '').split(/[./]/).filter(Boolean);
    const location = segments[0] as ParameterError['in'];
    // An array item (`fields.0`) is reported under its parameter: clients look for `fields`.
    const name = segments.slice(1).filter((segment) => !/^\d+$/.test(segment)).join('.') || segments[0] || 'request';
    const message = parameterMessageInWords(item.message ?? 'is invalid');
    return { name, in: location, message };
  });
  const detail = errors.map((item) => `${item.name}: ${item.message}`).join('; ') || error.message;
  return new HttpProblem(400, 'Bad Request', detail, errors);
}

/** SQLSTATE classes and socket errors that mean "the database is unavailable", not "a bug". */
// A rejected login (28xxx) or a missing database (3D000) is a misconfigured deployment: the
// client can do nothing but retry later, and the operator sees the error in the log.
const UNAVAILABLE_CODES = new Set([
  '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '28000', '28P01', '3D000',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
]);
const STATEMENT_TIMEOUT = '57014';

function fromDatabase(error: unknown): HttpProblem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  // Class 22 (data exception: out of range, invalid text representation, bad encoding): a value
  // from the request could not be used. The database's wording stays in the log.
  if (typeof code === 'string' && code.startsWith('22') && code.length === 5) {
    return new HttpProblem(400, 'Bad Request', 'A parameter value cannot be used: out of range or malformed.');
  }
  if (code === STATEMENT_TIMEOUT) return new HttpProblem(503, 'Service Unavailable', 'The query took too long and was cancelled. Narrow the filters or try again.');
  if ((code && UNAVAILABLE_CODES.has(code)) || name === 'KnexTimeoutError' || /Connection terminated|not currently accepting connections/i.test(message ?? '')) {
    return new HttpProblem(503, 'Service Unavailable', 'The database is unavailable. Try again shortly.');
  }
  return undefined;
}

export function toProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (isValidatorError(error)) return fromValidator(error);
  const fromDb = fromDatabase(error);
  if (fromDb) return fromDb;
  const status = (error as { status?: unknown; type?: unknown })?.status;
  // body-parser and friends mark client errors with a 4xx `status`.
  if (typeof status === 'number' && status >= 400 && status < 500) return new HttpProblem(status, 'Bad Request', 'The request could not be read.');
  return undefined;
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpProblem(404, 'Not Found', `No route matches ${req.method} ${req.path}.`));
};

/** The one place where errors become responses. Unexpected errors are logged, never echoed. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    // The client has gone (server/src/middleware/abandoned-work.ts): its cancelled query is no failure, and there is nobody to answer.
    if (res.locals.abandoned === true) {
      if (!res.destroyed) res.destroy();
      return;
    }
    let problem = toProblem(error) ?? new HttpProblem(500, 'Internal Server Error', 'An unexpected error occurred.');
    if (problem.status === 404 && !problem.detail) problem = new HttpProblem(404, 'Not Found', `No route matches ${req.method} ${req.path}.`);
    // A deliberate 503 (a bound reached, a timeout) is policy, not a failure: the request log has it.
    if (problem.status >= 500 && !(error instanceof HttpProblem)) log.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    if (res.headersSent) {
      // A stream that broke mid-way is cut off; a response already complete (say a 503 sent by
      // the request timeout before the handler failed) is left as it is.
      if (!res.writableEnded) res.destroy();
      return;
    }
    const body = {
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      // The parsed path, never the raw target: an absolute-form target (`GET http://evil.example/v1/…`) is not echoed.
      instance: req.path,
      ...(problem.errors ? { errors: problem.errors } : {}),
    };
    if (problem.status === 503) res.setHeader('Retry-After', '5');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
  };
}
