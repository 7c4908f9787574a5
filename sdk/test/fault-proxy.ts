import { createServer, request as forward, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A local HTTP proxy in front of the real server: the SDK talks to it with its ordinary fetch. It
 * records every request, and answers an attempt with a fault when the plan says so: a status (429,
 * 503… with Retry-After), a reset connection, or silence (it never answers). Everything else is
 * forwarded to the server unchanged, and the server's answer sent back unchanged.
 */
export type Fault = { status: number; retryAfter?: string } | 'reset' | 'hang';

export interface SeenRequest {
  url: string;
  headers: IncomingHttpHeaders;
  /** The status the client was answered with (the server's, or the fault's); undefined while hanging or reset. */
  status?: number;
}

export interface FaultProxy {
  /** The proxy's base URL: give it to createLakefront. */
  readonly url: string;
  /** Every request in arrival order, each attempt counted. */
  readonly requests: SeenRequest[];
  /** Paths of the requests with their query (`/v1/crimes?limit=1`), in order. */
  readonly paths: () => string[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, plan: (attempt: number, seen: SeenRequest) => Fault | undefined = () => undefined): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const seen: SeenRequest = { url: req.url ?? '/', headers: req.headers };
    requests.push(seen);
    const fault = plan(requests.length, seen);
    if (fault === 'hang') return;
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault) {
      const headers: Record<string, string> = { 'content-type': 'application/problem+json', 'x-request-id': `proxy-${requests.length}` };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      seen.status = fault.status;
      res.writeHead(fault.status, headers).end(JSON.stringify({ type: 'about:blank', title: `Fault ${fault.status}`, status: fault.status }));
      return;
    }
    const upstream = forward(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: { ...req.headers, host: targetUrl.host } },
      (answer) => {
        seen.status = answer.statusCode;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    paths: () => requests.map((seen) => seen.url),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
