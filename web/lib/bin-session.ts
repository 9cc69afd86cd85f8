// Over 300 lines: one state machine. Pages, live events and the page's own changes all work on
// the same list, unread set and reload generation; split apart, each part would reach into the others.
import type { ReplayInput, UpdateBinInput } from '../../shared/api-types.js';
import { isEmptyFilter, matchesFilter, parseFilter, type RequestFilter } from '../../shared/filter.js';
import { ApiError, type api } from './api.js';
import { isNewer, withDelivery } from './deliveries.js';
import { ExpectedTracker, type ExpectedStates } from './expected-ids.js';
import { LiveConnection, type LiveApi, type LiveStatus, type OpenSocket, type PageSignals } from './live-connection.js';
import { RequestIndex } from './request-index.js';
import type { BinInfo, Delivery, LiveEvent, RequestDetail, RequestItem } from './types.js';

/** Everything a bin page shows, as one immutable value (a new object on every change). */
export interface BinSnapshot {
  bin: BinInfo | null;
  /** Set when the bin itself could not be loaded (status 404: it does not exist). */
  loadError: ApiError | null;
  /** The bin was deleted while open. */
  gone: boolean;
  /** Newest first, deduplicated by id, all matching `filter`. */
  items: readonly RequestItem[];
  /** The first page (or a refiltered one) is on its way. */
  loading: boolean;
  loadingOlder: boolean;
  /** Cursor for older requests; null when everything is loaded. */
  nextBefore: string | null;
  /** Ids of requests that arrived live and have not been opened. */
  unread: ReadonlySet<string>;
  status: LiveStatus;
  filter: string;
  /** The last failed action or load, for a dismissible notice. */
  notice: string | null;
  /** The bin keeps at most this many requests and holds that many: each new one evicts the oldest. Null below the limit. */
  atLimit: number | null;
  /** A delete that can still be undone (for UNDO_MS), or null. */
  pendingDelete: { id: string; label: string } | null;
  /** The bin's expected ids as the server judges them, kept up to date live ([] when none). */
  expected: ExpectedStates;
}

/** The server calls a session makes (lib/api.ts's `api`; the Node tests run it against a test server). */
export type SessionApi = LiveApi &
  Pick<typeof api, 'getBin' | 'listRequests' | 'getRequest' | 'deleteRequest' | 'clearRequests' | 'updateBin' | 'recheckRequest' | 'replay' | 'expectedStates'>;

/** What a session runs on: in the inspector, `api` and the browser's socket and page (lib/browser-live.ts). */
export interface BinSessionDeps {
  api: SessionApi;
  openSocket: OpenSocket;
  page: PageSignals;
}

const PAGE_SIZE = 200;
const DETAIL_CACHE = 300;
const FILTER_DEBOUNCE_MS = 200;
/** Changes are published at most this often, so a burst of pushes costs one render. */
const EMIT_EVERY_MS = 16;
/** How long a deleted request can be brought back before it is deleted on the server. */
export const UNDO_MS = 5000;

/**
 * The state of one open bin: the request list (REST pages merged with the live stream), the
 * details pushed with it, unread marks and the connection status; and the changes made from the
 * bin page (save settings, replay, recheck, delete, clear), so what they return shows at once.
 * Plain TypeScript with a subscribe/snapshot pair and no DOM (its server and page come in
 * BinSessionDeps); `useBinSession` binds it to a component.
 */
export class BinSession {
  #snapshot: BinSnapshot;
  readonly #listeners = new Set<() => void>();
  readonly #list = new RequestIndex();
  readonly #details = new Map<string, RequestDetail>();
  readonly #unread = new Set<string>();
  /** Newest id seen from any source: the `after` of the next (re)connect. */
  #lastSeen: string | null = null;
  #filter: RequestFilter = parseFilter('');
  /** Bumped by every list reload and clear; a page answering an older one is dropped. */
  #generation = 0;
  /** Live arrivals while a reload is in flight (null: none in flight), merged into its result. */
  #arrivedDuringLoad: RequestItem[] | null = null;
  #selected: string | null = null;
  #emitTimer: ReturnType<typeof setTimeout> | undefined;
  #filterTimer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;
  /** Requests deleted here but not yet on the server (the undo window): kept out of the list. */
  readonly #hidden = new Map<string, { item: RequestItem; timer: ReturnType<typeof setTimeout> }>();
  readonly #live: LiveConnection;
  readonly #api: SessionApi;
  readonly #expected: ExpectedTracker;

  constructor(
    readonly binId: string,
    deps: BinSessionDeps,
  ) {
    this.#api = deps.api;
    this.#snapshot = {
      bin: null,
      loadError: null,
      gone: false,
      items: [],
      loading: true,
      loadingOlder: false,
      nextBefore: null,
      unread: new Set(),
      status: { state: 'connecting' },
      filter: '',
      notice: null,
      atLimit: null,
      pendingDelete: null,
      expected: [],
    };
    this.#expected = new ExpectedTracker(
      () => this.#api.expectedStates(binId),
      (expected) => !this.#disposed && this.#update({ expected }),
    );
    this.#live = new LiveConnection({
      ...deps,
      binId,
      lastSeen: () => this.#lastSeen,
      onEvent: (event) => this.#onEvent(event),
      onStatus: (status) => this.#update({ status }),
    });
  }

  get snapshot(): BinSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Loads the bin and its newest page, then opens the live stream after the newest id. */
  async start(): Promise<void> {
    try {
      const [bin] = await Promise.all([this.#api.getBin(this.binId), this.#reload()]);
      if (this.#disposed) return;
      this.#update({ bin, atLimit: bin.requestLimit !== undefined && bin.requestCount >= bin.requestLimit ? bin.requestLimit : null });
      this.#expected.binChanged(bin.expectedIdCount);
      this.#live.start();
    } catch (error) {
      this.#update({ loadError: error instanceof ApiError ? error : new ApiError(0, 'unknown', String(error)), loading: false });
    }
  }

  dispose(): void {
    // Leaving the page ends the undo windows: what was deleted is deleted.
    for (const id of [...this.#hidden.keys()]) void this.#commitDelete(id);
    this.#disposed = true;
    this.#live.stop();
    clearTimeout(this.#emitTimer);
    clearTimeout(this.#filterTimer);
    this.#listeners.clear();
  }

  retryNow(): void {
    this.#live.retryNow();
  }

  /** Shows `text` in the box at once and reloads the list from the server shortly after. */
  setFilter(text: string): void {
    this.#update({ filter: text });
    clearTimeout(this.#filterTimer);
    this.#filterTimer = setTimeout(() => {
      this.#filter = parseFilter(text);
      this.#reloadSafely('Could not filter');
    }, FILTER_DEBOUNCE_MS);
  }

  async loadOlder(): Promise<void> {
    const before = this.#snapshot.nextBefore;
    if (!before || this.#snapshot.loadingOlder || this.#snapshot.loading) return;
    const generation = this.#generation;
    this.#update({ loadingOlder: true });
    try {
      const page = await this.#api.listRequests(this.binId, { q: this.#snapshot.filter, before, limit: PAGE_SIZE });
      if (generation !== this.#generation) return;
      for (const item of page.items) this.#insert(item);
      this.#update({ nextBefore: page.nextBefore, loadingOlder: false });
    } catch (error) {
      this.#update({ loadingOlder: false, notice: `Could not load older requests: ${(error as Error).message}` });
    }
  }

  /** Marks the open request (null: none); opening one marks it read. */
  select(requestId: string | null): void {
    this.#selected = requestId;
    if (requestId && this.#unread.delete(requestId)) this.#changed();
  }

  cachedDetail(requestId: string): RequestDetail | undefined {
    return this.#details.get(requestId);
  }

  async fetchDetail(requestId: string): Promise<RequestDetail> {
    const detail = await this.#api.getRequest(this.binId, requestId);
    this.#remember(detail);
    // The list API does not carry deliveries: the row learns its latest one from the detail.
    const item = this.#list.get(requestId);
    if (item && detail.lastDelivery && isNewer(detail.lastDelivery, item.lastDelivery)) {
      this.#list.replace({ ...item, lastDelivery: detail.lastDelivery });
      this.#changed();
    }
    return detail;
  }

  async remove(requestId: string): Promise<void> {
    try {
      await this.#api.deleteRequest(this.binId, requestId);
      this.#removeLocally(requestId);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) this.#removeLocally(requestId);
      else this.#update({ notice: `Could not delete the request: ${(error as Error).message}` });
    }
  }

  /**
   * Deletes a request from the list at once and on the server after UNDO_MS, unless undone
   * meanwhile (undoDelete). Another delete commits the previous one at once.
   */
  deleteWithUndo(requestId: string): void {
    const item = this.#list.get(requestId);
    if (!item) return void this.remove(requestId);
    const pending = this.#snapshot.pendingDelete;
    if (pending) void this.#commitDelete(pending.id);
    this.#hidden.set(requestId, { item, timer: setTimeout(() => void this.#commitDelete(requestId), UNDO_MS) });
    this.#removeLocally(requestId);
    this.#update({ pendingDelete: { id: requestId, label: `${item.method} ${item.path || '/'}` } });
  }

  /** Brings back a request deleted with deleteWithUndo, while its window is open. */
  undoDelete(requestId: string): void {
    const hidden = this.#hidden.get(requestId);
    if (!hidden) return;
    clearTimeout(hidden.timer);
    this.#hidden.delete(requestId);
    if (this.#insert(hidden.item)) this.#count((n) => n + 1);
    if (this.#snapshot.pendingDelete?.id === requestId) this.#update({ pendingDelete: null });
  }

  async #commitDelete(requestId: string): Promise<void> {
    const hidden = this.#hidden.get(requestId);
    if (!hidden) return;
    clearTimeout(hidden.timer);
    this.#hidden.delete(requestId);
    if (this.#snapshot.pendingDelete?.id === requestId && !this.#disposed) this.#update({ pendingDelete: null });
    try {
      await this.#api.deleteRequest(this.binId, requestId);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404) && !this.#disposed) {
        this.#update({ notice: `Could not delete the request: ${(error as Error).message}` });
        if (this.#insert(hidden.item)) this.#count((n) => n + 1);
      }
    }
  }

  async clear(): Promise<void> {
    try {
      await this.#api.clearRequests(this.binId);
      this.#clearLocally();
    } catch (error) {
      this.#update({ notice: `Could not clear the bin: ${(error as Error).message}` });
    }
  }

  /**
   * Saves settings of the bin (only the fields given); the page shows the saved bin at once (the
   * live `bin.updated` brings the same a moment later). Rejects with the ApiError (a 400 names the field).
   */
  async saveBin(patch: UpdateBinInput): Promise<BinInfo> {
    const bin = await this.#api.updateBin(this.binId, patch);
    this.#update({ bin });
    return bin;
  }

  /** Runs a request's checks again with the bin's current settings; its row and detail show the result at once. */
  async recheck(requestId: string): Promise<RequestItem> {
    const item = await this.#api.recheckRequest(this.binId, requestId);
    this.#applyItem(item);
    return item;
  }

  /**
   * Sends a request to a target; its row and detail show the delivery at once. A target that
   * fails is a delivery with an error; it rejects only when hookscope refused (ApiError).
   */
  async replay(requestId: string, input: ReplayInput): Promise<Delivery> {
    const delivery = await this.#api.replay(this.binId, requestId, input);
    this.#applyDelivery(requestId, delivery);
    return delivery;
  }

  dismissNotice(): void {
    this.#update({ notice: null });
  }

  /** A newer summary of a request (live `updated`, or a recheck's answer): list row and cached detail follow. */
  #applyItem(item: RequestItem): void {
    const { lastDelivery } = this.#list.get(item.id) ?? this.#details.get(item.id) ?? item;
    const fresh = { ...item, lastDelivery };
    this.#list.replace(fresh);
    const detail = this.#details.get(item.id);
    if (detail) this.#remember({ ...detail, ...fresh });
    this.#changed();
  }

  /** A delivery of a request (live `replayed`, or a replay's answer): the cached detail and the list row follow. */
  #applyDelivery(requestId: string, delivery: Delivery): void {
    const detail = this.#details.get(requestId);
    if (detail) this.#remember(withDelivery(detail, delivery));
    const item = this.#list.get(requestId);
    if (item && isNewer(delivery, item.lastDelivery)) this.#list.replace({ ...item, lastDelivery: delivery });
    this.#changed();
  }

  /** Replaces the list with the newest page for the current filter, keeping live arrivals. */
  async #reload(): Promise<void> {
    const generation = ++this.#generation;
    const arrived: RequestItem[] = (this.#arrivedDuringLoad = []);
    this.#update({ loading: true });
    let page: Awaited<ReturnType<SessionApi['listRequests']>>;
    try {
      page = await this.#api.listRequests(this.binId, { q: this.#snapshot.filter, limit: PAGE_SIZE });
    } catch (error) {
      if (generation === this.#generation) this.#arrivedDuringLoad = null;
      throw error;
    }
    if (generation !== this.#generation || this.#disposed) return;
    this.#arrivedDuringLoad = null;
    this.#list.clear();
    for (const item of [...page.items, ...arrived]) this.#insert(item);
    if (page.items[0]) this.#see(page.items[0].id);
    this.#update({ loading: false, nextBefore: page.nextBefore });
  }

  #reloadSafely(what: string): void {
    this.#reload().catch((error: Error) => this.#update({ notice: `${what}: ${error.message}`, loading: false }));
  }

  #onEvent(event: LiveEvent): void {
    this.#expected.onEvent(event);
    switch (event.type) {
      case 'hello':
        // 'partial': requests were evicted past our cursor; 'none' with a newer id: something
        // arrived between the first page and the connect. Either way the page is reloaded.
        if (
          event.resync === 'partial' ||
          (event.resync === 'none' && event.lastRequestId && !this.#list.has(event.lastRequestId) && (!this.#lastSeen || event.lastRequestId > this.#lastSeen))
        ) {
          this.#reloadSafely('Could not reload the list');
        }
        return;
      case 'created':
        return this.#onCreated(event.item, event.detail);
      case 'updated':
        return this.#applyItem(event.item);
      case 'replayed':
        return this.#applyDelivery(event.requestId, event.delivery);
      case 'deleted':
        return this.#removeLocally(event.id);
      case 'cleared':
        return this.#clearLocally();
      case 'evicted':
        return this.#evictLocally(event.oldestKept, event.limit);
      case 'bin-updated':
        this.#expected.binChanged(event.bin.expectedIdCount);
        return this.#update({ bin: event.bin });
      case 'bin-deleted':
        return this.#update({ gone: true });
      case 'expected-overdue': {
        const ids = event.expected.map((e) => e.id);
        const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '');
        return this.#update({
          notice: `Webhook overdue: ${ids.length === 1 ? 'expected id' : `${ids.length} expected ids`} ${shown} did not arrive by the deadline (the Expected ids panel lists them).`,
        });
      }
    }
  }

  #onCreated(item: RequestItem, detail: RequestDetail | null): void {
    this.#see(item.id);
    if (detail) this.#remember(detail);
    if (this.#list.has(item.id)) return;
    if (!this.#matches(item, detail)) {
      // Large requests come without headers; the filter needs them, as the server's does.
      if (!detail && this.#filter.text.length > 0) void this.#admitLater(item);
      return;
    }
    this.#admit(item);
  }

  async #admitLater(item: RequestItem): Promise<void> {
    const generation = this.#generation;
    try {
      const detail = await this.#api.getRequest(this.binId, item.id, 0);
      if (generation === this.#generation && this.#matches(item, detail)) this.#admit(item);
    } catch {
      // deleted or evicted meanwhile: nothing to show
    }
  }

  #admit(item: RequestItem): void {
    if (!this.#insert(item)) return;
    this.#arrivedDuringLoad?.push(item);
    if (item.id !== this.#selected) this.#unread.add(item.id);
    this.#count((n) => n + 1);
  }

  #matches(item: RequestItem, detail: RequestDetail | null): boolean {
    if (isEmptyFilter(this.#filter)) return true;
    const bodyText = detail && detail.body.encoding === 'utf8' && !detail.body.truncated ? detail.body.data : null;
    const fileNames = detail?.parts?.flatMap((part) => (part.filename !== undefined ? [part.filename] : []));
    const answered = item.rejection?.status ?? item.response?.status ?? null;
    return matchesFilter({ ...item, answered, ...(detail ? { headers: detail.headers } : {}), ...(fileNames ? { fileNames } : {}), bodyText }, this.#filter);
  }

  #insert(item: RequestItem): boolean {
    if (this.#hidden.has(item.id) || !this.#list.insert(item)) return false;
    this.#changed();
    return true;
  }

  #removeLocally(requestId: string): void {
    this.#details.delete(requestId);
    this.#unread.delete(requestId);
    if (!this.#list.remove(requestId)) return;
    if (this.#snapshot.atLimit !== null) this.#update({ atLimit: null });
    this.#count((n) => Math.max(0, n - 1));
  }

  /** The server evicted every request older than `oldestKept`: the list, cache and unread marks follow. */
  #evictLocally(oldestKept: string, limit: number): void {
    for (const id of this.#list.dropOlderThan(oldestKept)) {
      this.#details.delete(id);
      this.#unread.delete(id);
    }
    const { nextBefore, bin } = this.#snapshot;
    this.#update({
      atLimit: limit,
      // Older pages are gone too.
      nextBefore: nextBefore !== null && nextBefore <= oldestKept ? null : nextBefore,
      ...(bin ? { bin: { ...bin, requestCount: Math.min(bin.requestCount, limit) } } : {}),
    });
  }

  #clearLocally(): void {
    this.#generation++;
    this.#list.clear();
    this.#details.clear();
    this.#unread.clear();
    this.#update({ nextBefore: null, loading: false, loadingOlder: false, atLimit: null, pendingDelete: null });
    this.#count(() => 0);
  }

  /** The bin's request count as live events change it (never above its limit: evictions keep it there). */
  #count(change: (count: number) => number): void {
    const { bin } = this.#snapshot;
    if (bin) this.#update({ bin: { ...bin, requestCount: Math.min(change(bin.requestCount), bin.requestLimit ?? Infinity) } });
    else this.#changed();
  }

  #see(requestId: string): void {
    if (!this.#lastSeen || requestId > this.#lastSeen) this.#lastSeen = requestId;
  }

  #remember(detail: RequestDetail): void {
    this.#details.delete(detail.id);
    this.#details.set(detail.id, detail);
    if (this.#details.size > DETAIL_CACHE) this.#details.delete(this.#details.keys().next().value!);
  }

  #update(patch: Partial<BinSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    this.#changed();
  }

  /** Publishes the current state soon, once per burst. */
  #changed(): void {
    if (this.#emitTimer !== undefined || this.#disposed) return;
    this.#emitTimer = setTimeout(() => {
      this.#emitTimer = undefined;
      this.#snapshot = { ...this.#snapshot, items: this.#list.toArray(), unread: new Set(this.#unread) };
      for (const listener of this.#listeners) listener();
    }, EMIT_EVERY_MS);
  }
}
