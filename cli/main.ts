import { Command, CommanderError, Option } from 'commander';
import { loadConfig, parsePort } from '../core/config.js';
import { createLogger } from '../core/log.js';
import { migrateCommand } from './commands/migrate.js';
import { loadSampleCommand } from './commands/load-sample.js';
import { serveCommand } from './commands/serve.js';
import { enrichCommand } from './commands/enrich.js';
import { syncCommand, type SyncCommandOptions } from './commands/sync.js';
import { statusCommand } from './commands/status.js';
import { parseInterval } from './interval.js';

const program = new Command('lakefront')
  .description('Chicago open data in PostgreSQL, served as a REST API.')
  .showHelpAfterError()
  .exitOverride();

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => migrateCommand(context()));

program
  .command('serve')
  .description('start the API (migrates first; loads the bundled sample into an empty database)')
  .addOption(new Option('--port <port>', 'port to listen on (default: $PORT or 3000)').argParser(parsePort))
  .addOption(
    new Option('--sync-every <interval>', 'sync all datasets in the server process, e.g. 4m, 1h, off (default: 4m on embedded PGlite, off on PostgreSQL)').argParser(parseInterval),
  )
  .action(async (options: { port?: number; syncEvery?: number }) => serveCommand(context(), options));

program
  .command('load-sample')
  .description('load the bundled real sample rows (upsert; safe to rerun)')
  .argument('[datasets...]', 'dataset keys (default: every dataset with a sample)')
  .action(async (keys: string[]) => loadSampleCommand(context(), keys));

program
  .command('enrich')
  .description('recompute geo_zip and geo_community_area from the stored boundaries')
  .argument('[datasets...]', 'dataset keys (default: every dataset with coordinates)')
  .action(async (keys: string[]) => enrichCommand(context(), keys));

program
  .command('sync')
  .description('bring datasets up to date with the Socrata portal (incremental; all datasets when none named)')
  .argument('[datasets...]', 'dataset keys (default: every dataset)')
  .option('--full', 're-read everything and delete rows the portal no longer has')
  .option('--since <date>', 'bound the read on the dataset time column (Chicago local date, e.g. 2024-01-01)')
  .addOption(new Option('--page-size <rows>', 'rows per request (default 50000)').argParser(positiveInteger).hideHelp())
  .action(async (keys: string[], options: SyncCommandOptions) => syncCommand(context(), keys, options));

program
  .command('status')
  .description('show, per dataset and portal id: rows, last successful sync, watermark, duration, last error')
  .option('--json', 'print JSON instead of a table')
  .action(async (options: { json?: boolean }) => statusCommand(context(), options));

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`expected a positive integer, got "${text}"`);
  return value;
}

function context() {
  const config = loadConfig();
  return { config, log: createLogger({ level: config.logLevel }) };
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  // One line, no stack: the CLI's errors are for people.
  process.stderr.write(`lakefront: ${(error as Error).message}\n`);
  process.exit(1);
}
