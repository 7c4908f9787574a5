// One HTTP server for bench/api.ts, in its own process so that it does not share an event loop
// with autocannon: `api` is the real Lakefront app, `bare` a bare node:http + pg handler that
// runs the same list query and writes the same JSON, `express` the bare handler's work as the one
// route of an Express app (what Express itself costs, for bench:api-cpu). Prints `{"port": N}`
// once listening.
//   tsx bench/api-targets.ts api|bare|express <database-url> [statement-timeout-ms]
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import { API_POOL } from '../cli/commands/api-database.js';
import { connect } from '../core/db/connect.js';
import { fillPool } from '../core/db/fill-pool.js';
import { typeParsers } from '../core/db/type-parsers.js';
import { silentLogger } from '../core/log.js';
import { expressBornServerOptions } from '../server/src/express-born.js';
import { DEFAULT_LIMITS } from '../server/src/limits.js';
import { listen } from '../server/src/listen.js';

const [kind, databaseUrl, statementTimeout] = process.argv.slice(2) as ['api' | 'bare' | 'express', string, string | undefined];
/** The production default (LAKEFRONT_STATEMENT_TIMEOUT_MS) unless given. */
const STATEMENT_TIMEOUT_MS = statementTimeout ? Number(statementTimeout) : DEFAULT_LIMITS.statementTimeoutMs;

/**
 * Exactly the statement the API's list query compiles to for `primary_type=…&from=…&to=…&limit=…`:
 * PostgreSQL renders each row as JSON text (server/src/datasets-api/list-query.ts), so the bare
 * handler, like the API, only joins strings.
 */
const COLUMNS = ['id', 'case_number', 'date', 'block', 'iucr', 'primary_type', 'description', 'location_description', 'arrest', 'domestic', 'beat', 'district', 'ward',
  'community_area', 'fbi_code', 'x_coordinate', 'y_coordinate', 'year', 'updated_on', 'latitude', 'longitude', 'geo_zip', 'geo_community_area'];
const NUMERIC = new Set(['x_coordinate', 'y_coordinate']);
const ROW_JSON = `(SELECT row_to_json(r) FROM (SELECT ${COLUMNS.map((column) => `"${column}"${NUMERIC.has(column) ? '::float8' : ''} AS "${column}"`).join(', ')}) r)::text`;
const LIST_SQL = `select ${ROW_JSON} AS "lakefront_row_json", "date", "id"
  from "api"."crimes" where "date" >= $1::timestamp and "date" < $2::timestamp and "primary_type" in ($3)
  order by "date" desc nulls last, "id" desc limit $4`;

/** As many connections as the API's, all kept open and opened at start, as the API's are. */
async function barePool(): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: API_POOL.poolMax,
    idleTimeoutMillis: 0,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => typeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser },
  });
  await Promise.all(Array.from({ length: API_POOL.poolMax }, () => pool.query('SELECT 1')));
  return pool;
}

/** The list page's JSON for these query parameters, as the API writes it. */
async function listPage(pool: pg.Pool, params: URLSearchParams): Promise<string> {
  const limit = Number(params.get('limit') ?? 100);
  const { rows } = await pool.query(LIST_SQL, [params.get('from'), params.get('to'), params.get('primary_type'), limit + 1]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? Buffer.from(JSON.stringify({ s: 'crimes:-date', v: [last.date, last.id] })).toString('base64url') : null;
  return `{"data":[${page.map((row) => row.lakefront_row_json).join(',')}],"next_cursor":${JSON.stringify(nextCursor)}}`;
}

async function startBare(): Promise<number> {
  const pool = await barePool();
  const server = createServer(async (req, res) => {
    const body = await listPage(pool, new URL(req.url ?? '/', 'http://localhost').searchParams);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startExpress(): Promise<number> {
  const pool = await barePool();
  const app = express();
  app.get('/v1/crimes', async (req, res) => {
    const body = await listPage(pool, new URL(req.originalUrl, 'http://localhost').searchParams);
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(body);
  });
  // Started as the API's server is (server/src/listen.ts).
  const server = createServer(expressBornServerOptions(app), app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startApi(): Promise<number> {
  // The pool `lakefront serve` opens (cli/commands/api-database.ts).
  const db = await connect({ databaseUrl, ...API_POOL, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
  await fillPool(db, API_POOL.poolMin);
  // Production settings, except the per-IP rate limit: every benchmark request comes from one IP.
  const running = await listen({ db, log: silentLogger, limits: { rateLimitPerMinute: 0 } }, 0, '127.0.0.1');
  return running.port;
}

/**
 * With BENCH_CPU_PROFILE=<file> (bench/api-profile.ts): SIGUSR2 starts V8's CPU profiler, after
 * the warm-up, so that start-up and compilation stay out of it; SIGTERM writes the profile and exits.
 */
function profileOnSignal(file: string): void {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  process.once('SIGUSR2', () => session.post('Profiler.start'));
  process.once('SIGTERM', () =>
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
      process.exit(error ? 1 : 0);
    }),
  );
}

const port = kind === 'bare' ? await startBare() : kind === 'express' ? await startExpress() : await startApi();
if (process.env.BENCH_CPU_PROFILE) profileOnSignal(process.env.BENCH_CPU_PROFILE);
else process.once('SIGTERM', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ port })}\n`);
