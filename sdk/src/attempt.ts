import { errorFromFailure, LakefrontAbortError, LakefrontTimeoutError, type LakefrontError } from './errors.js';

/**
 * One attempt's cancellation: its own AbortController, fired by the caller's signal or by the
 * timeout. Each attempt gets a fresh one and fetch is called with a plain init holding its signal,
 * never with a Request or a clone of one: undici loses a cloned Request's signal after a garbage
 * collection (nodejs/undici#4068). Every wait also races the signal itself, so a fetch that ignores
 * it still cannot keep the caller waiting.
 *
 * The timeout counts only while the SDK waits for the server (for the response, then for each
 * next chunk of the body), not while the caller is busy with what it already received.
 */
export class Attempt {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timedOut = false;
  private readonly onCallerAbort = () => this.controller.abort(this.callerSignal?.reason);

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    private readonly timeoutMs: number,
  ) {
    if (callerSignal?.aborted) this.controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** The signal handed to fetch for this attempt. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Waits for one step of the exchange (the response, a body chunk) under the timeout and the signals. */
  async wait<T>(step: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (this.timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new LakefrontTimeoutError(`No answer from the server within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    }
    let onAbort: (() => void) | undefined;
    try {
      return await new Promise<T>((resolve, reject) => {
        if (signal.aborted) reject(signal.reason);
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        step.then(resolve, reject);
      });
    } catch (error) {
      // A response that arrives after the abort is not wanted: release its connection.
      step.then((value) => (value instanceof Response ? value.body?.cancel() : undefined)).catch(() => undefined);
      throw this.failure(error);
    } finally {
      clearTimeout(this.timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /** Why the attempt failed, as the caller should see it: their abort, the timeout, or the network. */
  failure(error: unknown): LakefrontError {
    if (this.callerSignal?.aborted) return new LakefrontAbortError('The request was aborted', { cause: this.callerSignal.reason });
    if (this.timedOut) return new LakefrontTimeoutError(`No answer from the server within ${this.timeoutMs} ms`, { cause: error });
    return errorFromFailure(error, undefined);
  }

  /** The attempt is over (its body read, cancelled or failed): stop following the caller's signal. */
  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}

/** Reads a whole body as text, each chunk under the attempt's timeout and signals. */
export async function readText(body: ReadableStream<Uint8Array> | null, attempt: Attempt): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await attempt.wait(reader.read());
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  }
}

/**
 * The body as a stream the caller reads at its own pace: each read waits under the attempt's
 * timeout and signals, and its failures are LakefrontErrors. The attempt ends with the stream.
 */
export function guardedStream(body: ReadableStream<Uint8Array> | null, attempt: Attempt): ReadableStream<Uint8Array> {
  if (!body) {
    attempt.dispose();
    return new ReadableStream({ start: (controller) => controller.close() });
  }
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await attempt.wait(reader.read());
          if (done) {
            attempt.dispose();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          attempt.dispose();
          reader.cancel().catch(() => undefined);
          controller.error(error);
        }
      },
      cancel(reason) {
        attempt.dispose();
        return reader.cancel(reason);
      },
    },
    // Read from the server only when the caller asks: the timeout then measures the server alone.
    { highWaterMark: 0 },
  );
}
