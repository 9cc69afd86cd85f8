import type { StoredRequest } from '../store/types.js';
import { estimatedSize } from '../store/usage.js';
import type { RedisConnection } from './connection.js';
import { binKeys } from './keys.js';
import { DROP_STALE_HEADS, HEADLESS, INDEX_HEADS, type Script } from './scripts.js';
import { keptSummary } from './summaries.js';

/** Ids looked at per round trip when finding requests without a head. */
const HEADLESS_IDS = 1000;
/** Record bytes read per round trip when giving them heads (bodies up to 64 KB are inline). */
const HEADLESS_BYTES = 4 * 1024 * 1024;
/** Heads looked at per HSCAN step when dropping stale ones. */
const SCAN_COUNT = 1000;

/** Runs a script of scripts.ts on one bin's keys. */
export type BinScript = <T>(script: Script, args: string[]) => Promise<T>;

/**
 * A request's head (keys.ts): `<cost> <receivedAt> <deliveryKey>`, what usage, eviction and
 * deletion need without the record. The key comes last, so it may hold any character.
 */
export function headOf(record: StoredRequest): string {
  return `${estimatedSize(record)} ${record.receivedAt} ${record.checks?.deliveryKey ?? ''}`;
}

/** The receivedAt of a head. */
export function headTime(head: string): string {
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
export async function indexHeads(redis: RedisConnection, binId: string, run: BinScript, toRecord: (id: string, json: string) => StoredRequest): Promise<void> {
  for (let bound = '-'; ; ) {
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
  await dropStaleHeads(redis, binId, run);
}

async function dropStaleHeads(redis: RedisConnection, binId: string, run: BinScript): Promise<void> {
  const key = binKeys(binId).head;
  let cursor = '0';
  do {
    const [next, flat] = await redis.command<[string, string[]]>(['HSCAN', key, cursor, 'COUNT', String(SCAN_COUNT)]);
    const ids = flat.filter((_, i) => i % 2 === 0);
    if (ids.length > 0) await run<number>(DROP_STALE_HEADS, ids);
    cursor = next;
  } while (cursor !== '0');
}
