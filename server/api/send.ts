import type Router from '@koa/router';
import { assertTargetAllowed, targetRules } from '../outbound/target-policy.js';
import { HttpError } from '../http-error.js';
import { parseSimulationInput } from '../simulator/input.js';
import { simulate } from '../simulator/simulate.js';
import type { ApiDeps } from './deps.js';
import { readJsonObject } from './json-body.js';
import { route } from './route.js';

/**
 * The sender simulator: `POST /api/send` generates a realistic Krea job or LangGraph Run (or
 * sends a custom JSON body) and delivers it to the user's receiver the way that sender does,
 * retries and timeouts included. Answers when every delivery is over, with every attempt.
 */
export function registerSendRoutes(router: Router, deps: ApiDeps): void {
  route(router, 'POST /api/send', async (ctx) => {
    const input = parseSimulationInput(await readJsonObject(ctx));
    await assertTargetAllowed(deps.config, input.target);
    const result = await simulate(input, targetRules(deps.config));
    // The send happened: a history that cannot be written (Redis gone) must not hide its outcome.
    await deps.sends.add(result).catch((error: unknown) => console.error('hookscope: could not keep the simulated send in the history', error));
    return result;
  });

  route(router, 'GET /api/sends', async () => {
    return { sends: await deps.sends.list() };
  });

  route(router, 'GET /api/sends/{sendId}', async (ctx) => {
    const result = await deps.sends.get(ctx.params.sendId ?? '');
    if (!result) throw new HttpError(404, 'send_not_found', 'No such simulated send; the last 50 are kept (GET /api/sends).');
    return result;
  });
}
