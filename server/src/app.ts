import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import swaggerUi from 'swagger-ui-express';
import type { AppDeps } from './deps.js';
import { createHandlers } from './handlers/index.js';
import { registerOperations } from './operations.js';
import { notFound, problemHandler } from './problems.js';
import { spec } from './spec.js';

/** Builds the whole HTTP app without listening; `listen.ts` is the only place that listens. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.get('/openapi.json', (_req, res) => {
    res.json(spec);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(spec as object, { customSiteTitle: 'Lakefront API' }));

  app.use(
    OpenApiValidator.middleware({
      apiSpec: structuredClone(spec) as never,
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: true },
      validateResponses: deps.validateResponses ?? false,
      validateFormats: true,
    }),
  );
  registerOperations(app, createHandlers(deps));

  app.use(notFound);
  app.use(problemHandler(deps.log));
  return app;
}
