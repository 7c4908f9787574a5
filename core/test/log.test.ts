import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFormatFor, type LogFormat } from '../log.js';

function capture(format?: LogFormat) {
  const lines: string[] = [];
  let pending = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
      done();
    },
  });
  return { log: createLogger({ destination, ...(format ? { format } : {}) }), lines };
}

/** `YYYY-MM-DD HH:MM:SS` of the machine's local time zone, independent of the logger. */
function localTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

describe('logs a person can read', () => {
  it('on a terminal: one line per event, local time, level, message and its fields', () => {
    const { log, lines } = capture('pretty');
    const before = localTime(new Date());
    log.info({ dataset: 'crimes', rows: 6957 }, 'loaded bundled sample');
    const after = localTime(new Date());
    expect(lines).toHaveLength(1);
    const [, time, rest] = /^\[([^\]]+)\] (.*)$/.exec(lines[0]!)!;
    expect(time! >= before && time! <= after).toBe(true);
    expect(rest).toBe('INFO: loaded bundled sample {"dataset":"crimes","rows":6957}');
  });

  it('a request reads as method, path, status and time', () => {
    const { log, lines } = capture('pretty');
    log.warn({ req: { id: 'r-1', method: 'GET', url: '/v1/crimes?limit=-1' }, res: { statusCode: 400 }, responseTime: 3 }, 'request completed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[[\d-]+ [\d:]+\] WARN: GET \/v1\/crimes\?limit=-1 400 3 ms \(r-1\)$/);
  });

  it('keeps secrets out of readable lines too', () => {
    const { log, lines } = capture('pretty');
    log.info({ databaseUrl: 'postgres://u:hunter2@db/x' }, 'database');
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('logs JSON when output is not a terminal or LOG_FORMAT=json', () => {
    expect(logFormatFor({ isTTY: true }, {})).toBe('pretty');
    expect(logFormatFor({ isTTY: false }, {})).toBe('json');
    expect(logFormatFor({}, {})).toBe('json');
    expect(logFormatFor({ isTTY: true }, { LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormatFor({ isTTY: false }, { LOG_FORMAT: 'pretty' })).toBe('pretty');
    const { log, lines } = capture('json');
    log.info({ dataset: 'crimes' }, 'loaded');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'loaded', dataset: 'crimes' });
  });
});
