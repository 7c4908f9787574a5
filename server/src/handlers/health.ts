import type { AppDeps } from '../deps.js';
import type { Handler } from '../operations.js';
import { HttpProblem } from '../problems.js';

const startedAt = Date.now();

export function getHealth(): Handler<'getHealth'> {
  return async () => ({ status: 'ok', uptime_seconds: Math.round((Date.now() - startedAt) / 1000) });
}

export function getReadiness({ db }: AppDeps): Handler<'getReadiness'> {
  return async () => {
    try {
      await db.knex.raw('select 1');
    } catch {
      throw new HttpProblem(503, 'Service Unavailable', 'The database does not answer.');
    }
    return { status: 'ready', database: db.backend };
  };
}
