import type { DbValue } from '../soda-values.js';

/** Rows in PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes. */
export function* copyTextChunks(rows: readonly Record<string, DbValue>[], columns: readonly string[], rowsPerChunk = 2000): Generator<string> {
  let chunk = '';
  let inChunk = 0;
  for (const row of rows) {
    let line = '';
    for (let index = 0; index < columns.length; index += 1) {
      if (index > 0) line += '\t';
      line += copyValue(row[columns[index]!]);
    }
    chunk += `${line}\n`;
    inChunk += 1;
    if (inChunk === rowsPerChunk) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (chunk) yield chunk;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function copyValue(value: DbValue | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (char) => ESCAPES[char]!) : value;
}
