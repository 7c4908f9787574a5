import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { redactUrl } from '../config.js';
import { typeParsers } from './type-parsers.js';

export type Backend = 'postgres' | 'pglite';

export interface Database {
  readonly knex: Knex;
  readonly backend: Backend;
  /** Where the data lives, with any password removed. */
  readonly description: string;
  /** The embedded engine when the backend is PGlite (its data directory can be dumped). */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** `postgres://…`; absent means embedded PGlite. */
  readonly databaseUrl?: string | undefined;
  /** PGlite data directory; absent (with no URL) means an in-memory database. */
  readonly dataDir?: string | undefined;
  /** PGlite: start from this dump of a data directory (PGlite's `dumpDataDir`) instead of a new cluster. */
  readonly pgliteDump?: Blob | undefined;
  /** node-postgres pool size. */
  readonly poolMax?: number;
  /** Connections kept open while idle (default 0: all close after 30 s unused). */
  readonly poolMin?: number;
  /** Milliseconds before Postgres cancels a statement (0 = no limit). */
  readonly statementTimeoutMs?: number;
}

export async function connect(options: ConnectOptions): Promise<Database> {
  return options.databaseUrl ? connectPostgres(options.databaseUrl, options) : connectPglite(options.dataDir, options.pgliteDump);
}

/**
 * knex prints a failed connection attempt with its stack before rejecting with the same error; the
 * caller reports that error (the CLI in one line, the API as a 503), so the print is dropped.
 */
const KNEX_LOG = {
  warn(message: string) {
    if (!message.startsWith('Acquire connection error')) console.warn(message);
  },
};

function connectPostgres(databaseUrl: string, options: ConnectOptions): Database {
  const sessionSettings = ['-c TimeZone=UTC'];
  if (options.statementTimeoutMs) sessionSettings.push(`-c statement_timeout=${options.statementTimeoutMs}`);
  const knex = knexFactory({
    client: 'pg',
    connection: {
      connectionString: databaseUrl,
      options: sessionSettings.join(' '),
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          typeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    } as Knex.PgConnectionConfig,
    pool: { min: options.poolMin ?? 0, max: options.poolMax ?? 10 },
    log: KNEX_LOG,
  });
  return { knex, backend: 'postgres', description: redactUrl(databaseUrl), close: () => knex.destroy() };
}

async function connectPglite(dataDir: string | undefined, dump: Blob | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // PGlite ignores options passed after an undefined data directory: pass one object.
  const pglite = new PGlite({
    ...(dataDir ? { dataDir: path.join(dataDir, 'pgdata') } : {}),
    ...(dump ? { loadDataDir: dump } : {}),
    parsers: typeParsers,
  });
  await pglite.waitReady;
  await pglite.exec(`SET TimeZone = 'UTC'`);
  const knex = knexFactory({
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: () => ({ pglite }) as unknown as Knex.StaticConnectionConfig,
  });
  return {
    knex,
    backend: 'pglite',
    pglite,
    description: dataDir ? `embedded PGlite at ${dataDir}` : 'embedded PGlite (in memory)',
    close: async () => {
      await knex.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
