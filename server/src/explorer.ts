/*
 * The explorer page (explorer/, issue #19) served by the API's own server: its HTML shell and
 * the bundle that `npm run build:explorer` (run by `npm start`) writes to explorer/dist/. `GET /`
 * leads to it (app.ts, HOME_PAGE). Mounted before the OpenAPI validator, like /docs: these paths
 * are not API calls.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Express, Response } from 'express';
import { HttpProblem } from './problems.js';

const EXPLORER_ROOT = fileURLToPath(new URL('../../explorer/', import.meta.url));
const SHELL = `${EXPLORER_ROOT}public/index.html`;
const BUNDLE_FILES = ['app.js', 'app.css'];

export function mountExplorer(app: Express): void {
  app.get(['/explore', '/explore/'], (_req, res, next) => send(res, SHELL, next));
  for (const file of BUNDLE_FILES) {
    app.get(`/explore/${file}`, (_req, res, next) => {
      const path = `${EXPLORER_ROOT}dist/${file}`;
      if (!existsSync(path)) {
        next(new HttpProblem(503, 'Service Unavailable', 'The explorer is not built: run `npm run build:explorer` (npm start does).'));
        return;
      }
      send(res, path, next);
    });
  }
}

/** The file, revalidated on every load (no hashed names): a rebuilt bundle shows at once. */
function send(res: Response, path: string, next: (error?: unknown) => void): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.sendFile(path, (error) => error && next(error));
}
