import type { SendHistory } from '../../simulator/history.js';
import { SENDS_KEPT } from '../../simulator/history.js';
import type { SimulationResult } from '../../simulator/simulate.js';
import type { RedisConnection } from './connection.js';
import { SENDS_KEY } from './keys.js';
import { ADD_SEND } from './scripts.js';

/** The simulator's history in one Redis list, newest first, shared by every instance. */
export class RedisSendHistory implements SendHistory {
  readonly #redis: RedisConnection;

  constructor(redis: RedisConnection) {
    this.#redis = redis;
  }

  async list(): Promise<SimulationResult[]> {
    const items = await this.#redis.command<string[]>(['LRANGE', SENDS_KEY, '0', String(SENDS_KEPT - 1)]);
    return items.map((json) => JSON.parse(json) as SimulationResult);
  }

  async get(id: string): Promise<SimulationResult | undefined> {
    return (await this.list()).find((s) => s.id === id);
  }

  async add(result: SimulationResult): Promise<void> {
    await this.#redis.script(ADD_SEND, [SENDS_KEY], [JSON.stringify(result), String(SENDS_KEPT)]);
  }

  /** The connection belongs to the store, which closes it. */
  async close(): Promise<void> {}
}
