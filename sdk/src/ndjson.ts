import { LakefrontError, throwIfAborted } from './errors.js';

/**
 * Parses an NDJSON body as it arrives: one JSON value per line, yielded in order. Leaving the loop
 * (or an error) cancels the body, which closes the response.
 */
export async function* readNdjson<Row>(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Row, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let partial = '';
  let lineNumber = 0;
  const parse = (line: string): Row => {
    lineNumber += 1;
    try {
      return JSON.parse(line) as Row;
    } catch (error) {
      throw new LakefrontError(`NDJSON line ${lineNumber} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = (partial + text).split('\n');
      partial = done ? '' : lines.pop()!;
      for (const line of lines) {
        if (line.trim() === '') continue;
        throwIfAborted(signal);
        yield parse(line);
      }
      if (done) return;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
