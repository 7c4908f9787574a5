import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../core/log.js';

/** A real logger whose JSON lines are kept, so tests can read what an operator would see. */
export function capturingLogger(level = 'info'): { log: Logger; lines: () => string[]; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const log = createLogger({ level, destination });
  const text = () => chunks.join('');
  return { log, text, lines: () => text().split('\n').filter(Boolean) };
}
