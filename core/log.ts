import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Secrets that must never reach a log line, wherever they appear in a logged object. */
const REDACT_PATHS = [
  'req.headers["x-app-token"]',
  'req.headers.authorization',
  'headers["x-app-token"]',
  'databaseUrl',
  'connectionString',
  'password',
  'token',
];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    { level: options.level ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined },
    (options.destination ?? process.stderr) as pino.DestinationStream,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
