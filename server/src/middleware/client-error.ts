import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';

/** What Node's parser reports, by the status a client should see and the words it should read. */
const BY_CODE: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'The request line and headers together exceed 16 KB. Shorten the URL (fewer or shorter parameters) or the headers.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request was not received in time.'],
  ERR_HTTP_HEADERS_TIMEOUT: [408, 'The request headers were not received in time.'],
};

/**
 * Node answers requests it cannot parse (headers over 16 KB, a URL that long, a malformed request
 * line) itself, with a bare 431 or 400 and no body, before Express sees them. This answers them
 * as problem+json instead, like every other error of the API, then closes the connection: after
 * a parse error the rest of the stream cannot be trusted. The request target is never echoed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, detail] = BY_CODE[error.code ?? ''] ?? [400, 'The request could not be parsed as HTTP/1.1.'];
  const title = STATUS_CODES[status] ?? 'Bad Request';
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
