import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { unlinkIfPresent } from './durable-file.js';
import { Low } from 'lowdb';
import type { FileWriter } from './file-writer.js';
import { forgetCachedLines, JsonLinesSegmentFile } from './jsonl-file.js';
import type { StoredRequest } from './types.js';

/**
 * One segment of a bin's request log: a lowdb document holding a run of consecutive requests,
 * stored as an append-only JSON Lines file (jsonl-file.ts). A commit appends to the newest
 * segment only what it adds, so the cost of storing a request grows neither with the number of
 * requests kept nor with the size of the segment.
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
  adapter: JsonLinesSegmentFile;
}

const SEGMENT_FILE = /^(\d{12})\.jsonl$/;

export function segmentFileName(seq: number): string {
  return `${String(seq).padStart(12, '0')}.jsonl`;
}

/** The sequence number of a segment file name, or null for any other file. */
export function parseSegmentFileName(name: string): number | null {
  const match = SEGMENT_FILE.exec(name);
  return match ? Number(match[1]) : null;
}

/** Drops cached text of a segment that will rarely be written again (saves memory). */
export function forgetCachedText(segment: Segment): void {
  forgetCachedLines(segment.db.data.records);
}

export function openSegment(dir: string, seq: number, writer: FileWriter): Segment {
  const adapter = new JsonLinesSegmentFile(path.join(dir, segmentFileName(seq)), writer);
  const db = new Low<SegmentData>(adapter, { version: 1, evictedThrough: null, records: [] });
  return { seq, db, adapter };
}

/**
 * Opens every segment in `dir` (creating it), oldest first, after deleting temporary files a
 * crash left; returns them with the highest eviction watermark found.
 */
export async function loadSegments(dir: string, writer: FileWriter): Promise<{ segments: Segment[]; watermark: string | null }> {
  await mkdir(dir, { recursive: true });
  const names = await readdir(dir);
  await Promise.all(names.filter((n) => n.endsWith('.tmp')).map((n) => unlinkIfPresent(path.join(dir, n))));
  const seqs = names.map(parseSegmentFileName).filter((s): s is number => s !== null).sort((a, b) => a - b);
  const segments: Segment[] = [];
  let watermark: string | null = null;
  for (const seq of seqs) {
    const segment = openSegment(dir, seq, writer);
    await segment.db.read();
    segments.push(segment);
    const mark = segment.db.data.evictedThrough;
    if (mark !== null && (watermark === null || mark > watermark)) watermark = mark;
  }
  return { segments, watermark };
}
