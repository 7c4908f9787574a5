import { Command, CommanderError, Option } from 'commander';
import { loadConfig, parsePort } from '../core/config.js';
import { createLogger } from '../core/log.js';
import { migrateCommand } from './commands/migrate.js';
import { loadSampleCommand } from './commands/load-sample.js';
import { serveCommand } from './commands/serve.js';
import { enrichCommand } from './commands/enrich.js';

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
  .action(async (options: { port?: number }) => serveCommand(context(), options));

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
