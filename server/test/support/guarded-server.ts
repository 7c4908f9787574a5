import { Writable } from 'node:stream';
import type { Database } from '../../../core/db/connect.js';
import { createLogger, silentLogger, type Logger } from '../../../core/log.js';
import { createTestDatabase } from '../../../core/testing/test-database.js';
import type { ServerLimits } from '../../src/limits.js';
import { listen, type RunningServer } from '../../src/listen.js';

export interface GuardedServer extends RunningServer {
  readonly db: Database;
  /** Every log line the server wrote, parsed. */
  readonly logLines: Record<string, unknown>[];
  request(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; text: string; body: any }>;
  stop(): Promise<void>;
}

/** Collects pino's JSON lines in memory, so a test can read (and grep) what was logged. */
export function capturingLogger(level = 'info'): { log: Logger; lines: Record<string, unknown>[]; raw: string[] } {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { log: createLogger({ level, destination }), lines, raw };
}

/** A real server (port 0) over a real database, with the limits under test and captured logs. */
export async function startGuardedServer(
  options: {
    limits?: Partial<ServerLimits>;
    db?: Database;
    statementTimeoutMs?: number;
    seed?: (db: Database) => Promise<void>;
    /** Check responses against the spec (default true). */
    validateResponses?: boolean;
    /** Capture log lines (default true); off where volume matters more than the logs. */
    captureLogs?: boolean;
  } = {},
): Promise<GuardedServer> {
  const db = options.db ?? (await createTestDatabase({ statementTimeoutMs: options.statementTimeoutMs }));
  if (options.seed) await options.seed(db);
  const { log, lines } = options.captureLogs === false ? { log: silentLogger, lines: [] } : capturingLogger();
  const running = await listen({ db, log, validateResponses: options.validateResponses ?? true, limits: options.limits ?? {} }, 0, '127.0.0.1');
  return {
    ...running,
    db,
    logLines: lines,
    async request(path, init = {}) {
      const response = await fetch(running.url + path, init);
      const text = await response.text();
      const body: unknown = /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text;
      return { status: response.status, headers: response.headers, text, body };
    },
    async stop() {
      await running.close();
      await db.close();
    },
  };
}

export const onPostgres = Boolean(process.env.DATABASE_URL);
