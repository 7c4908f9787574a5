// The peer that bench/api.ts measures Lakefront's read API against: Platformatic DB, which builds
// a REST API over the tables it finds, serving the same `data.crimes` table that Lakefront's
// `api.crimes` view projects. Installed on demand by the benchmark (bench/peer/package.json,
// `npm ci` here), never a dependency of Lakefront. Prints `{"port": N}` once listening.
//   node bench/peer/server.mjs <database-url>
import { buildServer } from '@platformatic/db';

const [databaseUrl] = process.argv.slice(2);
const app = await buildServer({
  server: { hostname: '127.0.0.1', port: 0, logger: { level: 'warn' } },
  db: {
    connectionString: databaseUrl,
    schema: ['data'],
    include: { crimes: true },
    // Lakefront's pool size (bench/api-targets.ts).
    poolSize: 10,
    graphql: false,
    openapi: true,
    // Lakefront's page size is at most 1,000; the benchmark asks for 100.
    limit: { default: 100, max: 1000 },
  },
  // Platformatic's own metrics and health check stay at their defaults; its request log is off, as Lakefront's is in the benchmark.
});
await app.start();
const { port } = app.server.address();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.once('SIGTERM', () => process.exit(0));
