import type { Database } from '../../core/db/connect.js';
import type { Logger } from '../../core/log.js';
import type { ServerLimits } from './limits.js';

/** Everything the app needs from outside; tests build it with a real database. */
export interface AppDeps {
  readonly db: Database;
  readonly log: Logger;
  /** Check every response against the spec (on in tests, off in production for speed). */
  readonly validateResponses?: boolean;
  /** Rate limit, timeouts, export bound, CORS, metrics; unset fields take `DEFAULT_LIMITS` (no rate limit). */
  readonly limits?: Partial<ServerLimits>;
}
