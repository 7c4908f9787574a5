/**
 * Errors from the Socrata portal, built in one place from what came over the wire. Messages are
 * one line and never contain the app token (it travels only in a request header).
 */
/** `unreachable`: the portal's host cannot be found or refuses connections (offline, a wrong URL): retrying will not help. */
export type SocrataFailure = 'http' | 'network' | 'unreachable' | 'truncated' | 'config';

export class SocrataError extends Error {
  override readonly name = 'SocrataError';

  constructor(
    message: string,
    readonly failure: SocrataFailure,
    readonly status?: number,
    /** Socrata's error code, e.g. `dataset.missing`. */
    readonly code?: string,
    /** Milliseconds the portal asked us to wait (429 `Retry-After`). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /**
   * Network errors (resets, timeouts), cut-off bodies, 408, 429 and 5xx are worth another attempt;
   * other 4xx, an unknown host or a refused connection are not.
   */
  get retryable(): boolean {
    if (this.failure === 'config' || this.failure === 'unreachable') return false;
    if (this.failure !== 'http') return true;
    const status = this.status ?? 0;
    return status === 408 || status === 429 || status >= 500;
  }
}

/** Reads Socrata's error body `{"code","error":true,"message","data"}` into a one-line error. */
export function httpError(portalId: string, status: number, body: string, retryAfter: string | null): SocrataError {
  let code: string | undefined;
  let detail: string | undefined;
  try {
    const parsed = JSON.parse(body) as { code?: unknown; message?: unknown };
    if (typeof parsed.code === 'string') code = parsed.code;
    if (typeof parsed.message === 'string') detail = parsed.message;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone has to do.
  }
  const parts = [`Socrata ${portalId}: HTTP ${status}`];
  if (code) parts.push(code);
  if (detail) parts.push(oneLine(detail));
  return new SocrataError(parts.join(' '), 'http', status, code, parseRetryAfter(retryAfter));
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
