import type { StoredRequest } from './types.js';

/** What a bin's kept requests amount to: for listings, retention and the memory budget. */
export interface BinUsage {
  /** Requests kept. */
  count: number;
  /** Estimated bytes on disk (see estimatedSize). */
  dataSize: number;
  /** receivedAt of the oldest and newest kept request; null when there is none. */
  oldestAt: string | null;
  newestAt: string | null;
}

export const EMPTY_USAGE: BinUsage = Object.freeze({ count: 0, dataSize: 0, oldestAt: null, newestAt: null });

/** What a request costs on disk, roughly: its body, its headers, and the record around them. */
export function estimatedSize(record: StoredRequest): number {
  let headers = 0;
  for (const part of record.rawHeaders) headers += part.length + 4;
  return record.size + headers + 400;
}
