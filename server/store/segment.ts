import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from './durable-file.js';
import type { FileWriter } from './file-writer.js';
import type { StoredRequest } from './types.js';

/**
 * One segment file of a bin's request log: a small lowdb document holding a run of consecutive
 * requests. Only the newest segment is rewritten on each commit, so the cost of storing a
 * request does not grow with the number of requests kept.
 */
export interface SegmentData {
  version: 1;
  /** Every request with an id <= this one has been evicted or cleared (null: none yet). */
  evictedThrough: string | null;
  records: StoredRequest[];
}

export interface Segment {
  seq: number;
  db: Low<SegmentData>;
  adapter: DurableJsonFile<SegmentData>;
}

const SEGMENT_FILE = /^(\d{12})\.json$/;

export function segmentFileName(seq: number): string {
  return `${String(seq).padStart(12, '0')}.json`;
}

/** The sequence number of a segment file name, or null for any other file. */
export function parseSegmentFileName(name: string): number | null {
  const match = SEGMENT_FILE.exec(name);
  return match ? Number(match[1]) : null;
}

// Each record is serialised once and the text reused by every later rewrite of its segment:
// records are never mutated in place (updates replace the object), so the cache stays true.
// Only the newest segment is rewritten often; forgetCachedText() lets full ones drop theirs.
const recordJson = new WeakMap<StoredRequest, string>();

/** Drops cached text of records in a segment that will rarely be rewritten again (saves memory). */
export function forgetCachedText(segment: Segment): void {
  for (const record of segment.db.data.records) recordJson.delete(record);
}

function serializeRecord(record: StoredRequest): string {
  let text = recordJson.get(record);
  if (text === undefined) {
    text = JSON.stringify(record);
    recordJson.set(record, text);
  }
  return text;
}

function serializeSegment(data: SegmentData): string {
  return `{"version":1,"evictedThrough":${JSON.stringify(data.evictedThrough)},"records":[${data.records.map(serializeRecord).join(',')}]}`;
}

export function openSegment(dir: string, seq: number, writer: FileWriter): Segment {
  const adapter = new DurableJsonFile<SegmentData>(path.join(dir, segmentFileName(seq)), writer, serializeSegment);
  const db = new Low<SegmentData>(adapter, { version: 1, evictedThrough: null, records: [] });
  return { seq, db, adapter };
}
