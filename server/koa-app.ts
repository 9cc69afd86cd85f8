import Koa from 'koa';
import type { ApiDeps } from './api/deps.js';
import { apiFallbacks, errorMiddleware } from './api/error-middleware.js';
import { noStoreApi } from './api/no-store.js';
import { createApiRouter } from './api/router.js';
import type { HostRules } from './security/allowed-hosts.js';
import type { AccessControl } from './security/auth.js';
import { securityHeaders } from './security/headers.js';
import { mcpEndpoint } from './mcp/http-endpoint.js';
import { accessControlMiddleware } from './security/login-routes.js';
import { perimeterMiddleware, requireJsonBodies } from './security/perimeter.js';
import { staticFiles } from './static-files.js';

/**
 * Everything but captures, WebSockets and smee streams: security headers on every answer, the
 * Host and Origin rules (security/perimeter.ts), the access check (when a token is set), JSON
 * bodies for API changes, JSON errors, the API, the MCP endpoint (/mcp) and the built inspector.
 */
export function createKoaApp(deps: ApiDeps, access: AccessControl, webDir: string, hostRules: HostRules): Koa {
  // With --trust-proxy, ctx.ip and ctx.protocol come from the proxy's X-Forwarded-* headers; one
  // hop only (the last X-Forwarded-For entry), since earlier entries can be forged by the client.
  const app = new Koa({ proxy: deps.config.trustProxy, maxIpsCount: 1 });
  const router = createApiRouter(deps);
  app.use(securityHeaders);
  app.use(noStoreApi);
  app.use(errorMiddleware);
  app.use(perimeterMiddleware(hostRules, deps.config.trustProxy));
  app.use(accessControlMiddleware(access));
  app.use(mcpEndpoint()); // /mcp: behind the same perimeter and access check as /api
  app.use(requireJsonBodies);
  app.use(apiFallbacks);
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(staticFiles(webDir));
  app.silent = true; // errors are reported by errorMiddleware
  return app;
}
