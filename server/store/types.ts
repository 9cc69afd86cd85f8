import type { ForwardSetting, Rejection, ReplayAttempt, RequestSummary, SecretHeader, TokenStatus } from '../../shared/api-types.js';
import type { CheckResult, SchemaChoice, SigningSecret } from '../../shared/checks/types.js';
import { DEFAULT_RESPONSE_SETTINGS, type AnsweredWith, type ResponseSettings } from '../../shared/responses/types.js';
import type { BinUsage } from './usage.js';

/**
 * Bodies larger than this (bytes) are kept apart from their record, by every store (the embedded
 * store in a body file, Redis under a key of its own), and a capture leaves them out of the
 * record it builds (StoredRequest.body): the record then carries only the size.
 */
export const INLINE_BODY_LIMIT = 64 * 1024;

/** A bin as stored: settings only; counts and URLs are derived when it is served. */
export interface StoredBin {
  id: string;
  name: string;
  token: string | null;
  requireToken: boolean;
  /** A header expected on captures; null when none (and in bins stored by older versions). */
  secretHeader: SecretHeader | null;
  createdAt: string;
  schema: SchemaChoice;
  signingSecret: string | null;
  /** More secrets, each for a provider (GitHub, Stripe, …, or a generic HMAC); bins stored before they existed have none. */
  signingSecrets: SigningSecret[];
  /** Job / run ids the user said they started (the expected-ids check); empty: any id is fine. */
  expectedIds: string[];
  /** Deadlines of expected ids registered with `within` (ISO times); bins stored before they existed have none. */
  expectedDeadlines: { id: string; due: string }[];
  /** Auto-forward of each accepted capture; null when off. */
  forward: ForwardSetting | null;
  /** The last replay's target, offered as the next one's default. */
  replayTarget: string | null;
  /** How the capture URL answers (scripted responses). */
  responses: ResponseSettings;
}

/** Settings as they may be missing from bins stored by an older version. */
export const BIN_SETTING_DEFAULTS: Pick<
  StoredBin,
  'secretHeader' | 'schema' | 'signingSecret' | 'signingSecrets' | 'expectedIds' | 'expectedDeadlines' | 'forward' | 'replayTarget' | 'responses'
> = {
  secretHeader: null,
  schema: 'auto',
  signingSecret: null,
  signingSecrets: [],
  expectedIds: [],
  expectedDeadlines: [],
  forward: null,
  replayTarget: null,
  responses: DEFAULT_RESPONSE_SETTINGS,
};

/**
 * A captured request as stored. Parsed views (query map, header map, JSON, form, multipart)
 * are derived from these raw fields when served, so the stored form holds each byte once.
 */
export interface StoredRequest {
  id: string;
  binId: string;
  receivedAt: string;
  method: string;
  path: string;
  queryString: string;
  /** Flat [name, value, name, value, …] exactly as Node received them (original case, order). */
  rawHeaders: string[];
  remoteAddress: string | null;
  contentType: string | null;
  size: number;
  token: TokenStatus;
  /** The secret header's verdict; absent when the bin had no secret header. */
  secretHeader?: TokenStatus;
  /** What hookscope removed before storing, e.g. 'cookie:hookscope_session' (its own session cookie); absent when nothing. */
  redacted?: string[];
  rejection?: Rejection;
  /** The body when it is small enough to keep inline; absent when it lives in its own file. */
  body?: { encoding: 'utf8' | 'base64'; data: string };
  checks?: CheckResult;
  /** What the sender was answered (absent for pass-through: see replays). */
  response?: AnsweredWith;
  /** Deliveries to targets (replays, forwards), oldest first, the last few kept (server/replay/attempts.ts). */
  replays?: ReplayAttempt[];
}

export interface ListOptions {
  limit: number;
  before?: string;
  scan?: boolean;
  mayMatch?: (storedText: string) => boolean;
}

export interface RequestPageResult {
  records: StoredRequest[];
  nextBefore: string | null;
}

/** A newest-first page of summaries (Store.listSummaries). */
export interface SummaryPage {
  summaries: RequestSummary[];
  nextBefore: string | null;
}

/** What Store.appendRequest did to keep the bin within its cap (`maxRequestsPerBin`). */
export interface Appended {
  /**
   * How many requests went to make room, oldest first: 0 below the cap, 1 at it, more when the
   * cap was lowered (the embedded store applies a lowered cap when it opens the bin, and counts
   * those with the bin's next append if the bin is still open then; Redis at the next append).
   */
  evicted: number;
  /**
   * Set when the bin holds its cap after this append, so the next one evicts: the oldest request
   * it keeps (every older one is gone) and the cap. Null below the cap.
   */
  atCap: { oldestKept: string; limit: number } | null;
}

/**
 * Where bins and captured requests live. Contract for every implementation:
 * - lookups of unknown ids return undefined (or false for deletes); they never throw;
 * - a promise from a write resolves only once the change is durable, and rejects when it could
 *   not be made durable (nothing is then reported as stored);
 * - requests of a bin are kept in arrival order; past `maxRequestsPerBin` the oldest go first;
 * - ids given to the store have already been validated (see shared/ids.ts).
 */
export interface Store {
  listBins(): StoredBin[];
  getBin(binId: string): StoredBin | undefined;
  /**
   * Reads the bin from where it is stored rather than from memory, for a miss of getBin: a store
   * shared by several instances (Redis) may hold a bin that another instance created a moment
   * ago. Undefined when it does not exist. Optional: a store only this process writes need not have it.
   */
  refreshBin?(binId: string): Promise<StoredBin | undefined>;
  createBin(bin: StoredBin): Promise<void>;
  /** Replaces the bin's settings; returns the updated bin, or undefined if it does not exist. */
  updateBin(binId: string, patch: Partial<Omit<StoredBin, 'id' | 'createdAt'>>): Promise<StoredBin | undefined>;
  /** Removes the bin and all its requests. */
  deleteBin(binId: string): Promise<boolean>;
  requestCount(binId: string): Promise<number>;
  /** The bin's request count, estimated data size and oldest/newest times (EMPTY_USAGE for an unknown bin). */
  binUsage(binId: string): Promise<BinUsage>;

  /**
   * Stores a request (whose bin exists) with its exact body bytes, and says what it evicted to
   * stay within the cap (so nobody has to count or read to find out). A store shared by several
   * instances may store it under a newer id than `record.id` (another instance stored a newer id
   * first) and then updates `record.id`, so ids keep increasing in storing order.
   */
  appendRequest(record: StoredRequest, body: Buffer): Promise<Appended>;
  /**
   * Newest first, at most `limit`, strictly older than `before` when given. For a search reading
   * through many pages: `scan` says a store with a cache need not keep what it read, and a store
   * may leave out requests whose stored JSON text fails `mayMatch` (a cheap pre-filter; the
   * caller still checks every request it gets). `nextBefore` continues after what was looked at.
   */
  listRequests(binId: string, options: ListOptions): Promise<RequestPageResult>;
  /**
   * Optional: the page listRequests gives without a filter, as summaries (toSummary of
   * server/views/request-view.ts), for a store that keeps them apart from the records (Redis: a
   * page then reads no body). A store without it is listed through listRequests.
   */
  listSummaries?(binId: string, options: { limit: number; before?: string }): Promise<SummaryPage>;
  /** Oldest first, the requests strictly newer than `afterId`, at most `limit`. */
  requestsAfter(binId: string, afterId: string | null, limit: number): Promise<StoredRequest[]>;
  getRequest(binId: string, requestId: string): Promise<StoredRequest | undefined>;
  /** The exact body bytes of a stored request. */
  readBody(record: StoredRequest): Promise<Buffer>;
  deleteRequest(binId: string, requestId: string): Promise<boolean>;
  /** Removes every request of the bin; returns how many were removed. */
  clearRequests(binId: string): Promise<number>;
  /**
   * Replaces a stored request with `update(current)` (same id); returns the new record, or
   * undefined when the request does not exist.
   */
  updateRequest(binId: string, requestId: string, update: (current: StoredRequest) => StoredRequest): Promise<StoredRequest | undefined>;
  /**
   * Records that `requestId` carried the delivery `key` (a job_id, run_id or webhook-id), unless
   * an earlier request of the bin already did: then returns that request's id. Atomic: of two
   * concurrent deliveries with one key, exactly one is first. A key is released when the
   * request that holds it is deleted or evicted.
   */
  claimDelivery(binId: string, key: string, requestId: string): Promise<string | undefined>;
  /** The id of the request holding `key`, if any (for rechecks, which must not claim). */
  findDelivery(binId: string, key: string): Promise<string | undefined>;
  /**
   * The next position (0, 1, 2, …) in the bin's scripted-response sequence `ruleId`, counted
   * atomically, so several instances on one store walk one sequence. Not persisted across restarts
   * of the embedded store (a sequence is a test in progress).
   */
  nextSequencePosition(binId: string, ruleId: string): Promise<number>;
  /** Starts every sequence of the bin over (its settings changed). */
  resetSequences(binId: string): Promise<void>;

  /**
   * The access sessions' epoch: an opaque random text every session cookie is signed with
   * (server/security/auth.ts), kept with the data so every instance on a shared store sees the
   * same one. Made (and stored) on first use; a lost or unreadable one is replaced by a new one,
   * which only ends every session, never revives one.
   */
  sessionEpoch(): Promise<string>;
  /** Replaces the epoch by a new random one (logout ends every session); resolves once durable, with it. */
  bumpSessionEpoch(): Promise<string>;

  /** Waits for pending writes, then releases resources. */
  close(): Promise<void>;
}
