import type { CheckPool } from '../checks/check-pool.js';
import type { Config } from '../config.js';
import type { LiveBus } from '../live/bus.js';
import type { ResponseScript } from '../responses/script.js';
import type { SendHistory } from '../simulator/history.js';
import type { CaptureLimits } from '../capture/limits.js';
import type { Retention } from '../retention.js';
import type { AccessControl } from '../security/auth.js';
import type { RateLimiter } from '../security/rate-limit.js';
import type { Store } from '../store/types.js';

/** What the API routes need from the server, passed in rather than imported. */
export interface ApiDeps {
  config: Config;
  store: Store;
  bus: LiveBus;
  /** Scripted responses; sequences start over when a bin's settings change. */
  responses: ResponseScript;
  /** The sender simulator's recent results. */
  sends: SendHistory;
  /** Capture rate limits (for the refused counts shown with each bin). */
  limits: CaptureLimits;
  retention: Retention;
  access: AccessControl;
  /** Bins created per source address; null = no limit. */
  binCreation: RateLimiter | null;
  /** Worker threads for custom schemas and large bodies (compiles, checks). */
  checkPool: CheckPool;
  /** The server's clock in ms (ServerOptions.now): expected-id deadlines. */
  now: () => number;
}
