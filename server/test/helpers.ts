import { createTestDatabase } from '../../core/testing/test-database.js';
import type { Database } from '../../core/db/connect.js';
import { silentLogger } from '../../core/log.js';
import { listen, type RunningServer } from '../src/listen.js';

export interface LiveServer extends RunningServer {
  readonly db: Database;
  /** GET a path; returns status, headers and the parsed JSON (or text) body. */
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  stop(): Promise<void>;
}

/** A real server on a free port over a real database, validating every response against the spec. */
export async function startServer(
  options: { db?: Database; seed?: (db: Database) => Promise<void>; validateResponses?: boolean } = {},
): Promise<LiveServer> {
  const db = options.db ?? (await createTestDatabase());
  if (options.seed) await options.seed(db);
  const running = await listen({ db, log: silentLogger, validateResponses: options.validateResponses ?? true }, 0, '127.0.0.1');
  return {
    ...running,
    db,
    async get(path, headers = {}) {
      const response = await fetch(running.url + path, { headers });
      const text = await response.text();
      let body: unknown = text;
      // JSON and +json types (problem, GeoJSON); NDJSON stays text.
      if (/^application\/([a-z.-]+\+)?json\b/.test(response.headers.get('content-type') ?? '')) body = JSON.parse(text);
      return { status: response.status, headers: response.headers, body, text };
    },
    async stop() {
      await running.close();
      await db.close();
    },
  };
}
