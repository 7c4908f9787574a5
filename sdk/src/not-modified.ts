import type { CallOptions } from './transport.js';

/**
 * Options of a conditional call: you hold a copy and its ETag (`etagOf(result)`), and ask the
 * server whether it is still current. The call then answers either the new body or `NotModified`.
 */
export type ConditionalCallOptions = CallOptions &
  (
    | {
        /** Sent as `If-None-Match` (`undefined` sends none, as on a first call): a 304 answers `NotModified`, not an error. */
        ifNoneMatch: string | undefined;
      }
    | { headers: Readonly<Record<string, string>> & ({ 'if-none-match': string } | { 'If-None-Match': string }) }
  );

/** A conditional call's answer when the copy you hold is still current (the server said 304 and sent no body). */
export interface NotModified {
  readonly notModified: true;
  readonly status: 304;
  /** The ETag the server confirmed (the one you sent, unless it said otherwise). */
  readonly etag: string | undefined;
  /** The server's `X-Request-Id` for the request. */
  readonly requestId: string | undefined;
}

/** Whether a conditional call was answered `NotModified`: `if (isNotModified(answer)) use(copy)`. */
export function isNotModified(answer: unknown): answer is NotModified {
  return typeof answer === 'object' && answer !== null && (answer as { notModified?: unknown }).notModified === true;
}

const etags = new WeakMap<object, string>();

/**
 * The ETag the server sent with a JSON result (a page, a report, an aggregate), to send back as
 * `ifNoneMatch`; undefined when it sent none. The result itself stays exactly the server's JSON.
 */
export function etagOf(result: object): string | undefined {
  return etags.get(result);
}

/** Records a result's ETag (the transport does, for each JSON answer). */
export function rememberEtag(result: unknown, etag: string | null): void {
  if (etag && typeof result === 'object' && result !== null) etags.set(result, etag);
}

/** The If-None-Match a call's own options ask to send: `ifNoneMatch`, or the header in any case. */
export function conditionalEtag(options: { ifNoneMatch?: string | undefined; headers?: Readonly<Record<string, string>> | undefined }): string | undefined {
  if (options.ifNoneMatch !== undefined) return options.ifNoneMatch;
  for (const [name, value] of Object.entries(options.headers ?? {})) if (name.toLowerCase() === 'if-none-match') return value;
  return undefined;
}
