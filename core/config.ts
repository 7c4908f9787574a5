import path from 'node:path';

export interface Config {
  /** `postgres://…` for a real server; absent means the embedded PGlite database. */
  readonly databaseUrl: string | undefined;
  /**
   * `postgres://…` of the read-only role the API serves with (`lakefront_api`, see the
   * least-privilege migration); absent means the API uses `databaseUrl`.
   */
  readonly apiDatabaseUrl: string | undefined;
  /** Where the embedded database keeps its files. */
  readonly dataDir: string;
  readonly port: number;
  readonly socrataUrl: string;
  readonly socrataAppToken: string | undefined;
  readonly logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    apiDatabaseUrl: env.API_DATABASE_URL || undefined,
    dataDir: path.resolve(env.LAKEFRONT_DATA_DIR ?? '.lakefront'),
    port: parsePort(env.PORT ?? '3000'),
    socrataUrl: (env.LAKEFRONT_SOCRATA_URL ?? 'https://data.cityofchicago.org').replace(/\/+$/, ''),
    socrataAppToken: env.SOCRATA_APP_TOKEN || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port "${text}": expected an integer from 0 to 65535`);
  }
  return port;
}

/** A database URL with its password replaced, safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database url>';
  }
}
