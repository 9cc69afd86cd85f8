import Router from '@koa/router';
import { resolveBinParam } from './bin-service.js';
import { registerBinRoutes } from './bins.js';
import { registerCheckRoutes } from './checks.js';
import type { ApiDeps } from './deps.js';
import { registerExportRoutes } from './export.js';
import { openApiDocument } from './openapi.js';
import { registerReplayRoutes } from './replay.js';
import { registerRequestRoutes } from './requests.js';
import { registerSendRoutes } from './send.js';
import { registerStatusRoutes } from './status.js';
import { route } from './route.js';

/** Every /api route. The OpenAPI test walks this router to keep the document complete. */
export function createApiRouter(deps: ApiDeps): Router {
  const router = new Router();
  route(router, 'GET /api/openapi.json', () => openApiDocument);
  resolveBinParam(router, deps);
  registerBinRoutes(router, deps);
  registerRequestRoutes(router, deps);
  registerExportRoutes(router, deps);
  registerCheckRoutes(router, deps);
  registerReplayRoutes(router, deps);
  registerSendRoutes(router, deps);
  registerStatusRoutes(router, deps);
  return router;
}
