import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import swaggerUi from 'swagger-ui-express';
import type { AppDeps } from './deps.js';
import { cancelAbandonedWork } from './middleware/abandoned-work.js';
import { heavySlots, rowBudget } from './middleware/admission.js';
import { compressResponses } from './middleware/compress.js';
import { mountExplorer } from './explorer.js';
import { createHandlers } from './handlers/index.js';
import { DEFAULT_LIMITS } from './limits.js';
import { exportSlots, Slots } from './middleware/export-slots.js';
import { inOrder } from './middleware/in-order.js';
import { createHttpMetrics } from './middleware/metrics.js';
import { rejectNulInQuery } from './middleware/query-hygiene.js';
import { canonicalQuery } from './middleware/query-shape.js';
import { rateLimitPerClient } from './middleware/rate-limit.js';
import { requestLog } from './middleware/request-log.js';
import { corsForReads, readOnlyMethods, securityHeaders } from './middleware/security.js';
import { plainlyValidRequests, validateAgainstSpec } from './middleware/spec-validation.js';
import { requestTimeout } from './middleware/timeout.js';
import { exactPathDispatch, mountOperations, operationServers } from './operations.js';
import { notFound, problemHandler } from './problems.js';
import { spec, specOperations } from './spec.js';

/** The spec's operations, read once: the query canonicalizer and the validator's route table are built from them. */
const OPERATIONS = specOperations();

/** Where `GET /` sends a visitor: the page to start from, the explorer (explorer/). */
export const HOME_PAGE = '/explore';

/** Builds the whole HTTP app without listening; `listen.ts` is the only place that listens. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  // Cross-cutting guards (server/src/middleware/): ids and logs first, then metrics, headers,
  // read-only methods, rate limit, timeout, and the bound on concurrent exports.
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  if (limits.trustProxyHops > 0) app.set('trust proxy', limits.trustProxyHops);
  const renderProblem = problemHandler(deps.log);
  const metrics = createHttpMetrics(deps.db);
  // Each group runs as one router layer (middleware/in-order.ts).
  app.use(
    inOrder(
      requestLog(deps.log),
      cancelAbandonedWork(deps.db),
      compressResponses(),
      metrics.middleware,
      securityHeaders(),
      corsForReads(limits.corsOrigins),
      readOnlyMethods,
    ),
  );
  if (limits.metrics) app.get('/metrics', metrics.endpoint);
  app.use(
    inOrder(
      ...(limits.rateLimitPerMinute > 0 ? [rateLimitPerClient(limits.rateLimitPerMinute)] : []),
      requestTimeout(limits.requestTimeoutMs, renderProblem),
      // The query is made canonical before anything reads it (the export bound reads `format`).
      rejectNulInQuery,
      canonicalQuery(OPERATIONS),
      exportSlots(new Slots(limits.maxConcurrentExports)),
      // Admission by cost (middleware/admission.ts): a bound on heavy pages, then a per-client row
      // budget (charged only for what is admitted).
      heavySlots(new Slots(limits.maxConcurrentHeavy)),
      ...(limits.rowsPerMinute > 0 ? [rowBudget(limits.rowsPerMinute)] : []),
    ),
  );

  const servers = operationServers(createHandlers(deps), { validateResponses: Boolean(deps.validateResponses) });
  // Plainly valid calls of the spec's operations are served from here (operations.ts, exactPathDispatch).
  // When responses are validated (tests), every request goes through express-openapi-validator,
  // whose response check hooks into each one.
  if (!deps.validateResponses) app.use(exactPathDispatch(servers, plainlyValidRequests(OPERATIONS)));

  app.get('/', (_req, res) => {
    res.redirect(302, HOME_PAGE);
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(spec);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(spec as object, { customSiteTitle: 'Lakefront API' }));
  mountExplorer(app);

  const validator = OpenApiValidator.middleware({
    apiSpec: structuredClone(spec) as never,
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: true },
    validateResponses: Boolean(deps.validateResponses),
    validateFormats: true,
    // A read-only API with no security schemes and no request bodies: skip those two stages, and
    // resolve the spec's $refs once at startup instead of per parameter on every request.
    validateSecurity: false,
    fileUploader: false,
    $refParser: { mode: 'dereference' },
  });
  // In production, requests plainly valid against the spec are checked by a precompiled validator
  // per operation, and the rest (every refusal among them) by express-openapi-validator
  // (middleware/spec-validation.ts). When responses are validated (tests), every request goes
  // through express-openapi-validator, whose response check hooks into each one.
  app.use(deps.validateResponses ? validator : validateAgainstSpec(OPERATIONS, validator));
  mountOperations(app, servers);

  app.use(notFound);
  app.use(renderProblem);
  return app;
}
