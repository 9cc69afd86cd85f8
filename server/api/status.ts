import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { ServerStatus } from '../../shared/api-types.js';
import { projectRoot } from '../paths.js';
import { judgeReachability } from '../reachability.js';
import type { ApiDeps } from './deps.js';
import { route } from './route.js';

export const VERSION: string = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')).version;

/** How the server stands, for the inspector: storage limits and warnings, access control. */
export function registerStatusRoutes(router: Router, deps: ApiDeps): void {
  route(router, 'GET /api/status', (ctx) => {
    const status: ServerStatus = {
      version: VERSION,
      authRequired: deps.access.enabled,
      storage: {
        dataSize: deps.retention.lastReport?.dataSize ?? null,
        maxDataSize: deps.config.maxDataSize,
        retentionMs: deps.config.retentionMs,
        warning: deps.retention.warning,
      },
      // Judged per call: without --public-url, capture URLs use the origin this caller used.
      reachability: judgeReachability(deps.config, { origin: `${ctx.protocol}://${ctx.host}`, localPort: ctx.req.socket.localPort ?? 0 }),
    };
    return status;
  });
}
