import { LiveBus, type BinEvent, type BinListener } from '../../live/bus.js';
import { StoreUnavailableError } from '../errors.js';
import type { Store } from '../types.js';
import { storeError, type RedisConnection } from './connection.js';
import { binKeys } from './keys.js';
import { toRecord } from './redis-store.js';

/** Events the RedisStore's scripts publish themselves, atomically with the change they report. */
const PUBLISHED_BY_STORE = new Set<BinEvent['type']>(['request.created', 'request.updated', 'request.deleted', 'requests.cleared', 'requests.evicted']);

interface Channel {
  name: string;
  listeners: number;
  /** Settles once Redis confirmed the subscription (renewed after an outage). */
  subscribed: Promise<void>;
  onMessage: (message: string) => void;
  /** Events go to listeners one after the other, in channel order, even when one waits for its body. */
  delivery: Promise<void>;
}

/**
 * LiveBus across instances: each bin's events travel on its sharded channel
 * `hookscope:{binId}:events`, which this instance subscribes to while it has listeners for the
 * bin. Local listeners get every event from the channel, including this instance's own, so all
 * instances see one order: the order the changes were committed, since the store's scripts
 * publish request events in the same atomic step as the change (publish() skips those). Bin
 * events (settings changed, bin deleted) are published here, after the API made them durable.
 *
 * When Redis is lost, listeners get `server.status: unavailable`; once it is back and the
 * subscriptions are renewed, `server.status: ok`. Events published meanwhile cannot be
 * recovered from pub/sub, so the WebSocket layer then makes its clients resync from the store.
 */
export class RedisBus extends LiveBus {
  readonly #channels = new Map<string, Channel>();
  readonly #redis: RedisConnection;
  readonly #store: Store;

  constructor(redis: RedisConnection, store: Store) {
    super();
    this.#redis = redis;
    this.#store = store;
    redis.on('status', (available: boolean) => void this.#statusChanged(available));
  }

  override subscribe(binId: string, listener: BinListener): () => void {
    const unsubscribe = super.subscribe(binId, listener);
    let channel = this.#channels.get(binId);
    if (!channel) {
      const name = binKeys(binId).events;
      const created: Channel = {
        name,
        listeners: 0,
        subscribed: Promise.resolve(),
        onMessage: (message) => this.#deliver(binId, created, message),
        delivery: Promise.resolve(),
      };
      created.subscribed = this.#listen(created);
      this.#channels.set(binId, created);
      channel = created;
    }
    channel.listeners++;
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      unsubscribe();
      if (--channel.listeners > 0 || this.#channels.get(binId) !== channel) return;
      this.#channels.delete(binId);
      this.#redis.subscriber.sUnsubscribe(channel.name, channel.onMessage).catch(() => undefined);
    };
  }

  override publish(binId: string, event: BinEvent): void {
    if (PUBLISHED_BY_STORE.has(event.type) || event.type === 'server.status') return;
    this.#redis
      .command(['SPUBLISH', binKeys(binId).events, JSON.stringify(event)])
      .catch((error) => console.error(`hookscope: could not publish ${event.type} for bin ${binId}`, error));
  }

  /** Resolves once events of the bin reach this instance's listeners; rejects while Redis is unreachable. */
  override ready(binId: string): Promise<void> {
    if (!this.#redis.available) return Promise.reject(new StoreUnavailableError());
    const channel = this.#channels.get(binId);
    return channel ? channel.subscribed.catch((error: unknown) => Promise.reject(storeError(error))) : Promise.resolve();
  }

  #listen(channel: Channel): Promise<void> {
    const subscribed = this.#redis.subscriber.sSubscribe(channel.name, channel.onMessage);
    subscribed.catch(() => undefined); // surfaced through ready()
    return subscribed;
  }

  #deliver(binId: string, channel: Channel, message: string): void {
    channel.delivery = channel.delivery.then(async () => {
      let event: BinEvent;
      try {
        event = await this.#toBinEvent(binId, JSON.parse(message));
      } catch (error) {
        // A body evicted or deleted before it could be read: the request is gone, as a resync would show.
        console.error(`hookscope: dropped an event of bin ${binId} that could not be read`, error);
        return;
      }
      super.publish(binId, event);
    });
  }

  /** Rebuilds the in-process event from its wire form (the store's scripts write request events by hand). */
  async #toBinEvent(binId: string, wire: { type: BinEvent['type']; id?: string; record?: unknown; [k: string]: unknown }): Promise<BinEvent> {
    switch (wire.type) {
      case 'request.created': {
        // Bodies up to 64 KB travel inline; larger ones are read from the store (listeners want the bytes).
        const record = toRecord(binId, wire.id!, wire.record);
        return { type: 'request.created', record, body: await this.#store.readBody(record) };
      }
      case 'request.updated':
        return { type: 'request.updated', record: toRecord(binId, wire.id!, wire.record) };
      case 'request.deleted':
        return { type: 'request.deleted', binId, requestId: String(wire.requestId) };
      case 'requests.cleared':
        return { type: 'requests.cleared', binId };
      case 'requests.evicted':
        return { type: 'requests.evicted', binId, oldestKept: String(wire.oldestKept), limit: Number(wire.limit) };
      default:
        return wire as unknown as BinEvent; // bin and replay events: published whole by publish()
    }
  }

  async #statusChanged(available: boolean): Promise<void> {
    if (available) {
      // The client renews its subscriptions before it reports ready; these cover any that
      // were being made when the connection dropped (subscribing again is a no-op otherwise).
      for (const channel of this.#channels.values()) channel.subscribed = this.#listen(channel);
      await Promise.allSettled([...this.#channels.values()].map((c) => c.subscribed));
    }
    for (const [binId, channel] of this.#channels) {
      channel.delivery = channel.delivery.then(() => super.publish(binId, { type: 'server.status', store: available ? 'ok' : 'unavailable' }));
    }
  }
}
