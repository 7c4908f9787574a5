import cliProgress from 'cli-progress';
import type { SyncProgress } from '../ingest/sync/summary.js';

/** One live line per dataset on a terminal: rows, rows/s, pages, retries. */
export interface ProgressDisplay {
  update(progress: SyncProgress): void;
  /** Prints a line above the progress lines (log output would tear them otherwise). */
  log(line: string): void;
  stop(): void;
}

export function createProgressDisplay(keys: readonly string[], stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      format: '{dataset} {source} | {rows} rows | {rate} rows/s | {pages} pages | {retries} retries',
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const width = Math.max(...keys.map((key) => key.length));
  const bars = new Map<string, { bar: cliProgress.SingleBar; started: number }>();
  for (const key of keys) {
    bars.set(key, {
      bar: multibar.create(0, 0, { dataset: key.padEnd(width), source: '', rows: 0, rate: 0, pages: 0, retries: 0 }),
      started: Date.now(),
    });
  }
  return {
    update(progress) {
      const entry = bars.get(progress.dataset);
      if (!entry) return;
      if (progress.pages === 0 && progress.rows === 0) entry.started = Date.now(); // the dataset's sync begins
      const seconds = Math.max(0.001, (Date.now() - entry.started) / 1000);
      entry.bar.update(0, {
        source: progress.sourceId,
        rows: progress.rows.toLocaleString('en-US'),
        rate: Math.round(progress.rows / seconds).toLocaleString('en-US'),
        pages: progress.pages,
        retries: progress.retries,
      });
    },
    log(line) {
      multibar.log(line.endsWith('\n') ? line : `${line}\n`);
    },
    stop() {
      multibar.stop();
    },
  };
}
