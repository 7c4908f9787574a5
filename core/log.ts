import { pino, type Logger as PinoLogger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type Logger = PinoLogger;

/** `pretty`: one readable line per event with local time (a person at a terminal); `json`: one JSON object per line (machines). */
export type LogFormat = 'pretty' | 'json';

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

/**
 * JSON unless a person is reading: `LOG_FORMAT=json` (or `pretty`) decides; otherwise pretty on a
 * terminal, JSON when stderr is a pipe or a file (log collectors, `| jq`).
 */
export function logFormatFor(stream: { isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): LogFormat {
  const asked = env.LOG_FORMAT?.trim().toLowerCase();
  if (asked === 'json' || asked === 'pretty') return asked;
  return stream.isTTY ? 'pretty' : 'json';
}

/**
 * A logger writing to `destination` (stderr by default). Without an explicit `format`, stderr gets
 * the format `logFormatFor` picks and any other destination (tests, progress displays) gets JSON.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream; format?: LogFormat } = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const format = options.format ?? (options.destination ? 'json' : logFormatFor());
  const settings = { level: options.level ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined };
  if (format === 'json') return pino(settings, destination as pino.DestinationStream);
  // pino's own formatter, in process and synchronous: no worker thread to flush on exit, and each
  // event stays one line (its fields inline) so a terminal reads like a log, not a JSON dump.
  const pretty = PinoPretty({
    destination: destination as NodeJS.WritableStream & { write: (chunk: string) => boolean },
    sync: true,
    colorize: Boolean((destination as { isTTY?: boolean }).isTTY),
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
    singleLine: true,
    ignore: 'pid,hostname,req,res,responseTime',
    messageFormat: readableMessage,
  });
  return pino(settings, pretty);
}

/** A request reads `GET /v1/crimes?limit=2 200 12 ms (id)`; any other event is its message. */
function readableMessage(log: Record<string, unknown>, messageKey: string): string {
  const message = String(log[messageKey] ?? '');
  const req = log.req as { method?: string; url?: string; id?: string } | undefined;
  const res = log.res as { statusCode?: number } | undefined;
  if (!req?.method || !res) return message;
  return `${req.method} ${req.url} ${res.statusCode} ${String(log.responseTime)} ms${message === 'request completed' ? '' : ` ${message}`} (${req.id})`;
}

export const silentLogger: Logger = pino({ level: 'silent' });
