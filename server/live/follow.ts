import type { Store, StoredRequest } from '../store/types.js';
import type { BinEvent, LiveBus } from './bus.js';

/** Where a delivered event came from: the catch-up reads the store, live events come over the bus. */
export type FollowSource = 'store' | 'bus';

/**
 * Where the catch-up starts. A request id: the stored requests newer than it come first. Null:
 * no catch-up, only what the bus brings from now on. A function: called once the bus listens and
 * before the store is read, so it may read the store itself (check the cursor, send a greeting
 * built from the newest id: nothing is delivered before it settles); it resolves to one of the above.
 */
export type FollowCursor = string | null | (() => Promise<string | null>);

export interface FollowOptions {
  store: Store;
  bus: LiveBus;
  binId: string;
  after: FollowCursor;
  /**
   * Receives the events one at a time: the next is not delivered before the promise this returns
   * settles (that is the back-pressure). A rejection ends the follow as 'failed'.
   */
  deliver(event: BinEvent, source: FollowSource): void | Promise<void>;
  /**
   * Events waiting for `deliver` may hold this many bytes (bodies, plus EVENT_BYTES each); past
   * it, with more than one event waiting, the reader is too slow and the follow ends as 'overflow'.
   */
  maxQueuedBytes: number;
  /** The catch-up reads the store this many requests at a time (default CATCH_UP_PAGE). */
  pageSize?: number;
}

/** Why a follow ended: its owner stopped it, the reader fell too far behind, or the store or `deliver` failed. */
export type FollowEnd = { reason: 'stopped' } | { reason: 'overflow' } | { reason: 'failed'; error: unknown };

export interface Follow {
  /** Settles (never rejects) once the follow has ended and left the bus; nothing is delivered after. */
  readonly ended: Promise<FollowEnd>;
  /** Ends the follow: a delivery under way finishes, no other starts. Safe to call more than once. */
  stop(): void;
}

/** What an event costs in the queue beyond its body (records, bin settings: small and bounded). */
export const EVENT_BYTES = 1024;
/** Requests read from the store at once: their records (up to 64 KB each with inline bodies) are held together. */
export const CATCH_UP_PAGE = 50;

/**
 * Catch up, then follow live: the one way to read a bin's requests "from a cursor on" without a
 * gap or a duplicate (the WebSocket push, the smee stream and the long-poll wait all use it).
 *
 * 1. Subscribes to the bin's events on the bus; from then on they queue here.
 * 2. Awaits `bus.ready` (a bus shared across instances, Redis, must be listening before the
 *    store is read), unless there is nothing to read: a null cursor starts live at once.
 * 3. Delivers the stored requests newer than the cursor, oldest first, each as `request.created`
 *    with its body (source 'store'), reading the store a page at a time.
 * 4. Delivers the queued events, then every later one, in the bus' order (source 'bus'): every
 *    event type, not only requests. A `request.created` whose id is not newer than the last one
 *    the catch-up delivered (or the cursor) is skipped: the catch-up sent it already. That is
 *    exact because ids increase in storing order and the bus publishes in that order
 *    (Store.appendRequest); later requests are never skipped.
 *
 * It runs until stopped, or until the reader falls behind (overflow) or the store or `deliver`
 * fails; a `bin.deleted` is delivered like any event and ending then is the owner's choice.
 */
export function follow(options: FollowOptions): Follow {
  const follower = new Follower(options);
  void follower.run();
  return { ended: follower.ended, stop: () => follower.end({ reason: 'stopped' }) };
}

class Follower {
  readonly ended: Promise<FollowEnd>;
  #resolveEnded!: (end: FollowEnd) => void;
  #done = false;
  readonly #queue: BinEvent[] = [];
  #queuedBytes = 0;
  /** Set once the catch-up is over: from then on a queued event starts the delivery loop. */
  #live = false;
  #delivering = false;
  /** The newest request id the catch-up delivered (or the cursor): live requests up to it are duplicates. */
  #caughtUpTo: string | null = null;
  readonly #unsubscribe: () => void;

  constructor(private readonly options: FollowOptions) {
    this.ended = new Promise((resolve) => (this.#resolveEnded = resolve));
    this.#unsubscribe = options.bus.subscribe(options.binId, (event) => this.#enqueue(event));
  }

  async run(): Promise<void> {
    const { store, bus, binId, after } = this.options;
    try {
      if (after !== null) await bus.ready(binId);
      const cursor = typeof after === 'function' ? await after() : after;
      if (this.#done) return;
      this.#caughtUpTo = cursor;
      if (cursor !== null) await this.#catchUp(store, binId, cursor);
      this.#live = true;
      await this.#drain();
    } catch (error) {
      this.end({ reason: 'failed', error });
    }
  }

  end(end: FollowEnd): void {
    if (this.#done) return;
    this.#done = true;
    this.#unsubscribe();
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.#resolveEnded(end);
  }

  async #catchUp(store: Store, binId: string, cursor: string): Promise<void> {
    const pageSize = this.options.pageSize ?? CATCH_UP_PAGE;
    for (let from = cursor; !this.#done; ) {
      const page: StoredRequest[] = await store.requestsAfter(binId, from, pageSize);
      for (const record of page) {
        if (this.#done) return;
        const body = await store.readBody(record);
        if (this.#done) return;
        await this.options.deliver({ type: 'request.created', record, body }, 'store');
        this.#caughtUpTo = from = record.id;
      }
      // A short page is the end of what is stored; so is reaching a request that is already
      // queued, since every request stored after it is queued too.
      if (page.length < pageSize || this.#reachedQueue()) return;
    }
  }

  #reachedQueue(): boolean {
    const first = this.#queue.find((event) => event.type === 'request.created');
    return first !== undefined && this.#caughtUpTo !== null && first.record.id <= this.#caughtUpTo;
  }

  #enqueue(event: BinEvent): void {
    if (this.#done) return;
    this.#queue.push(event);
    this.#queuedBytes += eventBytes(event);
    if (this.#queuedBytes > this.options.maxQueuedBytes && this.#queue.length > 1) return this.end({ reason: 'overflow' });
    if (this.#live && !this.#delivering) void this.#drain().catch((error: unknown) => this.end({ reason: 'failed', error }));
  }

  async #drain(): Promise<void> {
    this.#delivering = true;
    try {
      while (!this.#done && this.#queue.length > 0) {
        const event = this.#queue.shift()!;
        this.#queuedBytes -= eventBytes(event);
        if (this.#alreadyDelivered(event)) continue;
        await this.options.deliver(event, 'bus');
      }
    } finally {
      this.#delivering = false;
    }
  }

  #alreadyDelivered(event: BinEvent): boolean {
    return event.type === 'request.created' && this.#caughtUpTo !== null && event.record.id <= this.#caughtUpTo;
  }
}

function eventBytes(event: BinEvent): number {
  return EVENT_BYTES + (event.type === 'request.created' ? event.body.length : 0);
}
