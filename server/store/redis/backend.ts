import type { Config } from '../../config.js';
import type { LiveBus } from '../../live/bus.js';
import type { SendHistory } from '../../simulator/history.js';
import type { Store } from '../types.js';
import { RedisConnection } from './connection.js';
import { RedisBus } from './redis-bus.js';
import { RedisSendHistory } from './redis-send-history.js';
import { RedisStore } from './redis-store.js';

/**
 * Storage and live fan-out on Redis (`--redis-url`), shared by every instance pointed at the
 * same Redis. app.ts imports this module only then, so without the flag nothing of Redis loads.
 * Rejects when Redis cannot be reached at start (a wrong URL should stop the start, not 503 forever).
 */
export async function openRedisBackend(config: Config): Promise<{ store: Store; bus: LiveBus; sends: SendHistory }> {
  if (config.redisUrl === null) throw new Error('openRedisBackend needs config.redisUrl');
  const connection = await RedisConnection.open(config.redisUrl);
  try {
    const store = await RedisStore.open(connection, { maxRequestsPerBin: config.maxRequestsPerBin });
    return { store, bus: new RedisBus(connection, store), sends: new RedisSendHistory(connection) };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
