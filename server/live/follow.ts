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
 * Ids of requests the catch-up delivered that are remembered in case their event is still on
 * its way (the newest ones: an event in flight on the bus is one of a request just stored).
 */
const EXPECTED_LIMIT = 256;
/** Delivered slots at the head of the queue after which it is compacted (when they are half of it or more). */
const COMPACT_AFTER = 1024;

/**
 * Catch up, then follow live: the one way to read a bin's requests "from a cursor on" without a
 * gap or a duplicate (the WebSocket push, the smee stream and the long-poll wait all use it).
 *
 * 1. Subscribes to the bin's events on the bus; from then on they queue here.
 * 2. Awaits `bus.ready` (a bus shared across instances, Redis, must be listening before the
 *    store is read), unless there is nothing to read: a null cursor starts live at once.
 * 3. Delivers the stored requests newer than the cursor, oldest first, each as `request.created`
 *    with its body (source 'store'), reading the store a page at a time. A request whose event
 *    is already queued is taken out of the queue and delivered here, in its place, as that event
 *    (source 'bus': the bus brought it, so the reader treats it as live).
 * 4. Delivers the queued events, then every later one, in the bus' order (source 'bus'): every
 *    event type, not only requests. A `request.created` the catch-up delivered while its event
 *    was still on its way is skipped.
 *
 * So every request is delivered once, and nothing lost, without assuming that ids increase in
 * storing order (on lowdb a request whose checks take longer is stored after a later one).
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
  /** Events waiting for `deliver`, from #head on; a request the catch-up took leaves a null. */
  #queue: (BinEvent | null)[] = [];
  #head = 0;
  #queuedCount = 0;
  #queuedBytes = 0;
  /** Where each queued `request.created` sits in #queue, by request id (only until the catch-up is over: #take). */
  readonly #queuedRequests = new Map<string, number>();
  /** Ids the catch-up delivered whose event may still come (oldest first, at most EXPECTED_LIMIT). */
  readonly #expected = new Set<string>();
  /** Set once the catch-up is over: from then on a queued event starts the delivery loop. */
  #live = false;
  #delivering = false;
  readonly #unsubscribe: () => void;
  readonly #options: FollowOptions;

  constructor(options: FollowOptions) {
    this.#options = options;
    this.ended = new Promise((resolve) => (this.#resolveEnded = resolve));
    this.#unsubscribe = options.bus.subscribe(options.binId, (event) => this.#enqueue(event));
  }

  async run(): Promise<void> {
    const { store, bus, binId, after } = this.#options;
    try {
      if (after !== null) await bus.ready(binId);
      const cursor = typeof after === 'function' ? await after() : after;
      if (this.#done) return;
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
    this.#queue = [];
    this.#queuedRequests.clear();
    this.#expected.clear();
    this.#resolveEnded(end);
  }

  async #catchUp(store: Store, binId: string, cursor: string): Promise<void> {
    const pageSize = this.#options.pageSize ?? CATCH_UP_PAGE;
    for (let from = cursor; ;) {
      const page: StoredRequest[] = await store.requestsAfter(binId, from, pageSize);
      let fromQueue = 0;
      for (const record of page) {
        if (this.#done) return;
        from = record.id;
        const queued = this.#take(record.id);
        if (queued) {
          fromQueue++;
          await this.#options.deliver(queued, 'bus');
          continue;
        }
        const body = await store.readBody(record);
        if (this.#done) return;
        this.#expect(record.id);
        await this.#options.deliver({ type: 'request.created', record, body }, 'store');
      }
      // The end of what is stored; or a page the bus had brought whole: it brings the rest.
      if (this.#done || page.length < pageSize || fromQueue === page.length) return;
    }
  }

  #enqueue(event: BinEvent): void {
    if (this.#done) return;
    const at = this.#queue.push(event) - 1;
    if (!this.#live && event.type === 'request.created') this.#queuedRequests.set(event.record.id, at);
    this.#queuedCount++;
    this.#queuedBytes += eventBytes(event);
    if (this.#queuedBytes > this.#options.maxQueuedBytes && this.#queuedCount > 1) return this.end({ reason: 'overflow' });
    if (this.#live && !this.#delivering) void this.#drain().catch((error: unknown) => this.end({ reason: 'failed', error }));
  }

  /** Takes the queued event of a request out of the queue (the catch-up delivers it in its place). */
  #take(requestId: string): BinEvent | undefined {
    const at = this.#queuedRequests.get(requestId);
    if (at === undefined) return undefined;
    const event = this.#queue[at]!;
    this.#queue[at] = null;
    this.#forget(event);
    return event;
  }

  async #drain(): Promise<void> {
    this.#delivering = true;
    try {
      while (!this.#done && this.#head < this.#queue.length) {
        const event = this.#queue[this.#head];
        this.#queue[this.#head++] = null; // a slow reader may never empty the queue: hold nothing delivered
        if (this.#head === this.#queue.length) [this.#queue, this.#head] = [[], 0];
        else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#queue.length) [this.#queue, this.#head] = [this.#queue.slice(this.#head), 0];
        if (!event) continue; // the catch-up delivered it
        this.#forget(event);
        if (event.type === 'request.created' && this.#deliveredAlready(event.record.id)) continue;
        await this.#options.deliver(event, 'bus');
      }
    } finally {
      this.#delivering = false;
    }
  }

  #forget(event: BinEvent): void {
    if (event.type === 'request.created') this.#queuedRequests.delete(event.record.id);
    this.#queuedCount--;
    this.#queuedBytes -= eventBytes(event);
  }

  #expect(requestId: string): void {
    this.#expected.add(requestId);
    if (this.#expected.size > EXPECTED_LIMIT) this.#expected.delete(this.#expected.values().next().value!);
  }

  /**
   * Whether the catch-up delivered this request already. Expected ids older than it are dropped:
   * their events would have come first (a shared bus brings them in id order, and the
   * in-process one publishes a request a moment after storing it, before the catch-up is over).
   */
  #deliveredAlready(requestId: string): boolean {
    if (this.#expected.delete(requestId)) return true;
    for (const id of this.#expected) {
      if (id >= requestId) break;
      this.#expected.delete(id);
    }
    return false;
  }
}

function eventBytes(event: BinEvent): number {
  return EVENT_BYTES + (event.type === 'request.created' ? event.body.length : 0);
}
