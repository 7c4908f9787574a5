import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, parsePort } from '../core/config.js';
import { datasets } from '../core/datasets/index.js';
import { createLogger } from '../core/log.js';
import { DEFAULT_PAGE_SIZE } from '../ingest/sync/sync-source.js';
import { migrateCommand } from './commands/migrate.js';
import { loadSampleCommand } from './commands/load-sample.js';
import { serveCommand } from './commands/serve.js';
import { enrichCommand } from './commands/enrich.js';
import { syncCommand, type SyncCommandOptions } from './commands/sync.js';
import { statusCommand } from './commands/status.js';
import { checkCommand } from './commands/check.js';
import { parseInterval } from './interval.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('lakefront')
  .description('Chicago open data in PostgreSQL, served as a REST API.')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride();

const DATASET_KEYS = `\nDataset keys:\n  ${datasets.map((dataset) => dataset.key).join(', ')}\n`;

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => migrateCommand(context()));

program
  .command('start')
  .description('the demo (`npm start`): migrate, load the bundled samples into empty tables, serve')
  .addOption(new Option('--port <port>', 'port to listen on (default: $PORT or 3000)').argParser(parsePort))
  .addOption(
    new Option('--sync-every <interval>', 'sync all datasets in the server process, e.g. 4m, 1h, off (default: 4m on embedded PGlite, off on PostgreSQL)').argParser(parseInterval),
  )
  .action(async (options: { port?: number; syncEvery?: number }) => serveCommand(context(), { ...options, demo: true }));

program
  .command('serve')
  .description('start the API (migrates first; writes no rows: fill them with load-sample or sync)')
  .addOption(new Option('--port <port>', 'port to listen on (default: $PORT or 3000)').argParser(parsePort))
  .addOption(new Option('--sync-every <interval>', 'also sync all datasets in the server process, e.g. 4m, 1h (default: off)').argParser(parseInterval))
  .action(async (options: { port?: number; syncEvery?: number }) => serveCommand(context(), options));

program
  .command('load-sample')
  .description('load the bundled real sample rows, compute their ZIP and community area, refresh the reports (upsert; safe to rerun)')
  .argument('[datasets...]', 'dataset keys (default: every dataset with a sample)')
  .addHelpText('after', DATASET_KEYS)
  .action(async (keys: string[]) => loadSampleCommand(context(), keys));

program
  .command('enrich')
  .description('recompute geo_zip and geo_community_area from the stored boundaries')
  .argument('[datasets...]', 'dataset keys (default: every dataset with coordinates)')
  .addHelpText('after', DATASET_KEYS)
  .action(async (keys: string[]) => enrichCommand(context(), keys));

program
  .command('sync')
  .description('bring datasets up to date with the Socrata portal (incremental; all datasets when none named)')
  .argument('[datasets...]', 'dataset keys (default: every dataset)')
  .option('--full', 're-read everything and delete rows the portal no longer has')
  .option('--since <date>', 'bound the read on the dataset time column (Chicago local date, e.g. 2024-01-01)')
  .addOption(new Option('--page-size <rows>', `rows per request (default ${DEFAULT_PAGE_SIZE})`).argParser(positiveInteger).hideHelp())
  .addHelpText('after', DATASET_KEYS)
  .action(async (keys: string[], options: SyncCommandOptions) => syncCommand(context(), keys, options));

program
  .command('status')
  .description('show, per dataset and portal id: rows, last successful sync, watermark, duration, last error')
  .option('--json', 'print JSON instead of a table')
  // The table (or JSON) is the whole output: only warnings and errors are logged.
  .action(async (options: { json?: boolean }) => statusCommand(context('warn'), options));

program
  .command('check')
  .description("compare each dataset's columns on the portal (/api/views/{id}.json) with its definition; exit 1 on drift")
  .argument('[datasets...]', 'dataset keys (default: every dataset)')
  .addHelpText('after', DATASET_KEYS)
  .action(async (keys: string[]) => {
    process.exitCode = await checkCommand(context('warn'), keys);
  });

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`expected a positive integer, got "${text}"`);
  return value;
}

/** `quietest`: a level below which this command does not log, whatever LOG_LEVEL says. */
function context(quietest?: 'warn') {
  const config = loadConfig();
  const level = quietest && ['trace', 'debug', 'info'].includes(config.logLevel) ? quietest : config.logLevel;
  return { config, log: createLogger({ level }) };
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  // One line, no stack: the CLI's errors are for people.
  process.stderr.write(`lakefront: ${(error as Error).message}\n`);
  process.exit(1);
}
