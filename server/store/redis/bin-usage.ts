import type { StoredRequest } from '../types.js';
import { EMPTY_USAGE, estimatedSize, type BinUsage } from '../usage.js';
import type { RedisConnection } from './connection.js';
import { binKeys } from './keys.js';
import type { Script } from './scripts.js';
import { keptSummary } from './summaries.js';
import { DROP_STALE_HEADS, HEADLESS, INDEX_HEADS, READ_USAGE } from './usage-scripts.js';

/** Ids looked at per round trip when finding requests without a head. */
const HEADLESS_IDS = 1000;
/** Record bytes read per round trip when giving them heads (bodies up to 64 KB are inline). */
const HEADLESS_BYTES = 4 * 1024 * 1024;
/** Heads looked at per HSCAN step when dropping stale ones. */
const SCAN_COUNT = 1000;
/** Requests read per round trip when usage is counted from the records. */
const USAGE_PAGE = 500;

/** What bin-usage needs of the store, for one bin: its scripts, its records. */
export interface BinAccess {
  redis: RedisConnection;
  binId: string;
  run: <T>(script: Script, args: string[]) => Promise<T>;
  toRecord: (id: string, json: string) => StoredRequest;
  /** Oldest first, strictly after `afterId`, at most `limit` (Store.requestsAfter). */
  requestsAfter: (afterId: string | null, limit: number) => Promise<StoredRequest[]>;
}

/**
 * A bin's usage from its heads and running size (one script, no record read). Requests stored
 * by an earlier version, which kept no heads, get theirs first, once; if earlier versions still
 * write meanwhile (an upgrade in progress), the usage is counted from the records instead.
 */
export async function binUsage(bin: BinAccess): Promise<BinUsage> {
  for (let attempt = 0; ; attempt++) {
    const [count, heads, size, oldest, newest] = await bin.run<[number, number, number, string | null, string | null]>(READ_USAGE, []);
    if (count === 0) return { ...EMPTY_USAGE };
    if (count === heads && oldest !== null && newest !== null) return { count, dataSize: size, oldestAt: headTime(oldest), newestAt: headTime(newest) };
    if (attempt > 0) return usageFromRecords(bin);
    await indexHeads(bin);
  }
}

/**
 * A request's head (keys.ts): `<cost> <receivedAt> <deliveryKey>`, what usage, eviction and
 * deletion need without the record. The key comes last, so it may hold any character.
 */
export function headOf(record: StoredRequest): string {
  return `${estimatedSize(record)} ${record.receivedAt} ${record.checks?.deliveryKey ?? ''}`;
}

/** The receivedAt of a head. */
function headTime(head: string): string {
  const start = head.indexOf(' ') + 1;
  return head.slice(start, head.indexOf(' ', start));
}

/**
 * Brings a bin's heads in line with its requests, for data written by a version that kept none
 * (or by one running alongside, during an upgrade): every request without a head gets one, and
 * its summary, made from its record; heads of requests no longer stored are dropped, each with
 * its cost.
 * Reads the bin once, page by page within a byte budget; safe alongside writers, since each
 * script changes only what is still as it found it.
 */
async function indexHeads(bin: BinAccess): Promise<void> {
  const { run, toRecord } = bin;
  for (let bound = '-'; ;) {
    const [last, ...flat] = await run<string[]>(HEADLESS, [bound, String(HEADLESS_IDS), String(HEADLESS_BYTES)]);
    if (!last) break;
    const triples: string[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const record = toRecord(flat[i]!, flat[i + 1]!);
      triples.push(record.id, headOf(record), keptSummary(record, flat[i + 1]!));
    }
    if (triples.length > 0) await run<number>(INDEX_HEADS, triples);
    bound = `(${last}`;
  }
  await dropStaleHeads(bin);
}

async function dropStaleHeads({ redis, binId, run }: BinAccess): Promise<void> {
  const key = binKeys(binId).head;
  let cursor = '0';
  do {
    const [next, flat] = await redis.command<[string, string[]]>(['HSCAN', key, cursor, 'COUNT', String(SCAN_COUNT)]);
    const ids = flat.filter((_, i) => i % 2 === 0);
    if (ids.length > 0) await run<number>(DROP_STALE_HEADS, ids);
    cursor = next;
  } while (cursor !== '0');
}

/** Usage read page by page from the records themselves. */
async function usageFromRecords(bin: BinAccess): Promise<BinUsage> {
  const usage = { ...EMPTY_USAGE };
  for (let after: string | null = null; ;) {
    const page = await bin.requestsAfter(after, USAGE_PAGE);
    for (const record of page) usage.dataSize += estimatedSize(record);
    if (page.length > 0) {
      usage.count += page.length;
      usage.oldestAt ??= page[0]!.receivedAt;
      usage.newestAt = page[page.length - 1]!.receivedAt;
      after = page[page.length - 1]!.id;
    }
    if (page.length < USAGE_PAGE) return usage;
  }
}
