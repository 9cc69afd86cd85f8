import type { Config } from '../config.js';
import type { LiveBus } from '../live/bus.js';
import type { ResponseScript } from '../responses/script.js';
import type { SendHistory } from '../simulator/history.js';
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
}
