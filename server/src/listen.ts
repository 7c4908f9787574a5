import type { AddressInfo } from 'node:net';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createApp } from './app.js';
import type { AppDeps } from './deps.js';
import { expressBornServerOptions } from './express-born.js';
import { answerClientError } from './middleware/client-error.js';

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stops at once, cutting open connections (tests). */
  close(): Promise<void>;
  /**
   * Graceful stop (SIGTERM): refuse new connections, let requests in flight finish (keep-alive
   * sockets are told `Connection: close`), and cut whatever still runs after `graceMs`.
   */
  shutdown(graceMs: number): Promise<void>;
}

/** The single place that opens a port. Port 0 picks a free one (tests, examples). */
export async function listen(deps: AppDeps, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const app = createApp(deps);
  const server = createServer(expressBornServerOptions(app), app);
  server.listen(port, host);
  // A client gets its whole request in 10 s or is cut off: slow-header (slowloris) clients
  // cannot hold sockets open. The response side is bounded by the app's request timeout.
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  server.on('clientError', answerClientError);
  let draining = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    shutdown: async (graceMs) => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(deadline);
    },
  };
}
