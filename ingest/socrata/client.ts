import pRetry, { AbortError } from 'p-retry';
import type { SodaRow } from '../soda-values.js';
import { oneLine, httpError, SocrataError } from './errors.js';

export interface SodaQuery {
  readonly select?: string;
  readonly where?: string | undefined;
  readonly order?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface RetryNotice {
  readonly portalId: string;
  readonly attempt: number;
  readonly retriesLeft: number;
  readonly reason: string;
}

export interface SodaClientOptions {
  /** Portal root, e.g. `https://data.cityofchicago.org`. */
  readonly baseUrl: string;
  /** Sent as `X-App-Token`; never logged, never part of an error. */
  readonly appToken?: string | undefined;
  /** Retries after the first attempt (bounded). */
  readonly retries?: number;
  readonly minTimeoutMs?: number;
  readonly maxTimeoutMs?: number;
  /** Per request, including reading the body. */
  readonly requestTimeoutMs?: number;
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** One column of `GET /api/views/{id}.json`: the portal's field name and its Socrata type. */
export interface PortalColumn {
  readonly fieldName: string;
  readonly dataTypeName: string;
}

export interface SodaClient {
  /** One page of rows; retried on transient failures, a clear `SocrataError` otherwise. */
  query(portalId: string, query: SodaQuery): Promise<SodaRow[]>;
  /** The same, with the body as received: one flat string a caller can keep cheaply and parse again. */
  queryPage(portalId: string, query: SodaQuery): Promise<{ rows: SodaRow[]; body: string }>;
  /**
   * One page, its body handed to `decode` inside the retry: a body `decode` cannot parse as JSON
   * (it throws a SyntaxError) was cut off, and is fetched again like any other cut-off body.
   */
  queryPageWith<T>(portalId: string, query: SodaQuery, decode: (body: string) => Promise<T>): Promise<T>;
  /** The dataset's columns from its metadata, `GET /api/views/{id}.json` (`columns[]`). */
  columns(portalId: string): Promise<PortalColumn[]>;
}

export function createSodaClient(options: SodaClientOptions): SodaClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new SocrataError(`LAKEFRONT_SOCRATA_URL "${baseUrl}" is not an http(s) URL`, 'config');
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.appToken) headers['x-app-token'] = options.appToken;

  async function attempt(portalId: string, url: string): Promise<{ value: unknown; body: string }> {
    const { body, status } = await attemptText(portalId, url);
    try {
      return { value: JSON.parse(body), body };
    } catch {
      throw cutOff(portalId, body, status);
    }
  }

  async function attemptText(portalId: string, url: string): Promise<{ body: string; status: number }> {
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(options.requestTimeoutMs ?? 120_000) });
    } catch (error) {
      const reason = networkReason(error);
      if (UNREACHABLE.has(reason)) {
        throw new SocrataError(`Socrata ${portalId}: cannot reach ${baseUrl} (${reason}); check the network, or set LAKEFRONT_SOCRATA_URL`, 'unreachable');
      }
      throw new SocrataError(`Socrata ${portalId}: portal unreachable (${reason})`, 'network');
    }
    try {
      body = await response.text();
    } catch (error) {
      throw new SocrataError(`Socrata ${portalId}: response cut off (${networkReason(error)})`, 'truncated', response.status);
    }
    if (!response.ok) throw httpError(portalId, response.status, body, response.headers.get('retry-after'));
    return { body, status: response.status };
  }

  async function rowsPage(portalId: string, query: SodaQuery): Promise<{ rows: SodaRow[]; body: string }> {
    const url = `${baseUrl}/resource/${encodeURIComponent(portalId)}.json?${searchParams(query)}`;
    return retried(portalId, async () => {
      const { value, body } = await attempt(portalId, url);
      if (!Array.isArray(value)) throw new SocrataError(`Socrata ${portalId}: expected a JSON array of rows`, 'truncated');
      return { rows: value as SodaRow[], body };
    });
  }

  return {
    query: async (portalId, query) => (await rowsPage(portalId, query)).rows,
    queryPage: rowsPage,
    queryPageWith(portalId, query, decode) {
      const url = `${baseUrl}/resource/${encodeURIComponent(portalId)}.json?${searchParams(query)}`;
      return retried(portalId, async () => {
        const { body, status } = await attemptText(portalId, url);
        try {
          return await decode(body);
        } catch (error) {
          if (error instanceof SyntaxError) throw cutOff(portalId, body, status);
          throw error;
        }
      });
    },
    columns(portalId) {
      const url = `${baseUrl}/api/views/${encodeURIComponent(portalId)}.json`;
      return retried(portalId, async () => {
        const { value } = await attempt(portalId, url);
        const columns = (value as { columns?: unknown } | null)?.columns;
        if (!Array.isArray(columns)) throw new SocrataError(`Socrata ${portalId}: view metadata has no columns array`, 'truncated');
        return columns
          .filter((column): column is PortalColumn => typeof column?.fieldName === 'string' && typeof column?.dataTypeName === 'string')
          .map(({ fieldName, dataTypeName }) => ({ fieldName, dataTypeName }));
      });
    },
  };

  function retried<T>(portalId: string, work: () => Promise<T>): Promise<T> {
    return pRetry(
      async () => {
        try {
          return await work();
        } catch (error) {
          if (error instanceof SocrataError && !error.retryable) throw new AbortError(error);
          throw error;
        }
      },
      {
        retries: options.retries ?? 6,
        minTimeout: options.minTimeoutMs ?? 500,
        maxTimeout: options.maxTimeoutMs ?? 30_000,
        factor: 2,
        randomize: true,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft === 0) return;
          options.onRetry?.({ portalId, attempt: attemptNumber, retriesLeft, reason: oneLine(error.message) });
          // Honour Retry-After on top of the backoff p-retry adds next.
          const wait = error instanceof SocrataError ? error.retryAfterMs : undefined;
          if (wait) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, options.maxTimeoutMs ?? 30_000)));
        },
      },
    ).catch((error: unknown) => {
      throw error instanceof AbortError ? error.originalError : error;
    });
  }
}

function cutOff(portalId: string, body: string, status: number): SocrataError {
  return new SocrataError(`Socrata ${portalId}: response body is not complete JSON (${body.length} characters)`, 'truncated', status);
}

export function searchParams(query: SodaQuery): string {
  const params = new URLSearchParams();
  if (query.select) params.set('$select', query.select);
  if (query.where) params.set('$where', query.where);
  if (query.order) params.set('$order', query.order);
  if (query.limit !== undefined) params.set('$limit', String(query.limit));
  if (query.offset !== undefined) params.set('$offset', String(query.offset));
  return params.toString();
}

/** Causes another attempt seconds later will not cure: no such host (or no DNS at all), nothing listening, no route, a port fetch refuses. */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'bad port']);

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return oneLine(cause?.code ?? cause?.message ?? (error as Error).message ?? 'network error');
}
