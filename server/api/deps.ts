import type { Config } from '../config.js';
import type { LiveBus } from '../live/bus.js';
import type { Store } from '../store/types.js';

/** What the API routes need from the server, passed in rather than imported. */
export interface ApiDeps {
  config: Config;
  store: Store;
  bus: LiveBus;
}
