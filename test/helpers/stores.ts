import { rm } from 'node:fs/promises';
import { encodeBody } from '../../server/capture/record.js';
import { createRequestIdGenerator, newBinId } from '../../server/ids.js';
import { LiveBus } from '../../server/live/bus.js';
import { RedisBus } from '../../server/store/redis/redis-bus.js';
import { RedisConnection } from '../../server/store/redis/connection.js';
import { RedisStore } from '../../server/store/redis/redis-store.js';
import { LowdbStore } from '../../server/store/lowdb/lowdb-store.js';
import { BIN_SETTING_DEFAULTS, INLINE_BODY_LIMIT, type Store, type StoredBin, type StoredRequest } from '../../server/store/types.js';
import { estimatedSize, type BinUsage } from '../../server/store/usage.js';
import type { CheckResult } from '../../shared/checks/types.js';
import { startRedis, type TestRedis } from './redis.js';
import { makeTempDir } from './server.js';

/** Makes stores of one kind for the contract suite: each test gets fresh, empty storage. */
export interface StoreFactory {
  readonly name: string;
  setUp(): Promise<void>;
  /** Empty storage for the next test. */
  reset(): Promise<void>;
  /** A store on the current storage (opened again on the same data after a close). */
  open(options: { maxRequestsPerBin: number }): Promise<Store>;
  /**
   * A store with the bus of its kind, as the server pairs them: lowdb with the in-process bus,
   * Redis with the bus over Redis (each call: a new instance on the same Redis). Closing the store closes both.
   */
  openWithBus(options: { maxRequestsPerBin: number }): Promise<{ store: Store; bus: LiveBus }>;
  tearDown(): Promise<void>;
}

export function lowdbFactory(): StoreFactory {
  let dir: string | null = null;
  return {
    name: 'lowdb',
    setUp: async () => undefined,
    reset: async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
      dir = await makeTempDir('hookscope-contract-');
    },
    open: (options) => LowdbStore.open(dir!, options),
    openWithBus: async (options) => ({ store: await LowdbStore.open(dir!, options), bus: new LiveBus() }),
    tearDown: async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export function redisFactory(): StoreFactory {
  let redis: TestRedis | null = null;
  return {
    name: 'redis',
    setUp: async () => {
      redis = await startRedis();
    },
    reset: async () => {
      await redis!.command(['FLUSHALL']);
    },
    open: async (options) => RedisStore.open(await RedisConnection.open(redis!.url), options),
    openWithBus: async (options) => {
      const connection = await RedisConnection.open(redis!.url);
      const store = await RedisStore.open(connection, options);
      return { store, bus: new RedisBus(connection, store) };
    },
    tearDown: async () => redis?.close(),
  };
}

const nextId = createRequestIdGenerator();

export function makeBin(name = 'contract'): StoredBin {
  return { ...BIN_SETTING_DEFAULTS, id: newBinId(), name, token: null, requireToken: false, createdAt: new Date().toISOString() };
}

/** A record as the capture path builds it: the body inline up to 64 KB, else in its own key or file. */
export function makeRecord(binId: string, body: Buffer | string, deliveryKey?: string): { record: StoredRequest; body: Buffer } {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const { id, time } = nextId();
  const record: StoredRequest = {
    id,
    binId,
    receivedAt: new Date(time).toISOString(),
    method: 'POST',
    path: '/webhooks/krea',
    queryString: 'a=1&a=2',
    rawHeaders: ['Host', 'example.test', 'Content-Type', 'application/json', 'X-Custom', 'ÿ value'],
    remoteAddress: '127.0.0.1',
    contentType: 'application/json',
    size: bytes.length,
    token: 'none',
    ...(bytes.length <= INLINE_BODY_LIMIT ? { body: encodeBody(bytes) } : {}),
    ...(deliveryKey ? { checks: { schema: null, valid: true, errors: [], warnings: [], deliveryKey } satisfies CheckResult } : {}),
  };
  return { record, body: bytes };
}

/** A bin's usage counted the long way, from every stored request (what Store.binUsage must equal). */
export async function countedUsage(store: Store, binId: string): Promise<BinUsage> {
  const all = await store.requestsAfter(binId, null, Number.MAX_SAFE_INTEGER);
  return {
    count: all.length,
    dataSize: all.reduce((sum, r) => sum + estimatedSize(r), 0),
    oldestAt: all[0]?.receivedAt ?? null,
    newestAt: all.at(-1)?.receivedAt ?? null,
  };
}

/** A fresh id, newer than every id made before (for claims by requests not stored yet). */
export function newRequestId(): string {
  return nextId().id;
}
