import { truncate } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { readTextIfPresent, unlinkIfPresent } from './durable-file.js';
import type { FileWriter } from './file-writer.js';
import type { StoredRequest } from './types.js';
import type { SegmentData } from './segment.js';

/**
 * A lowdb adapter that stores a segment as an append-only JSON Lines log, so that a commit
 * costs what it adds, not what the segment holds. Each line is one change:
 *   {"r":<request>}  added      {"u":<request>}  replaced (same id)
 *   {"d":"<id>"}     deleted    {"w":"<id>"|null} eviction watermark (SegmentData.evictedThrough)
 * write(data) compares `data` with what it last handed to the writer (records are immutable:
 * a changed request is a new object) and appends only the difference, fsynced. When the log
 * has grown well past its content, or after a failed write, it rewrites the whole segment
 * atomically (temp file, fsync, rename) instead.
 *
 * A crash can tear only the last line (a write that was never acknowledged): read() drops it
 * and truncates the file back to its last complete line.
 */
export class JsonLinesSegmentFile implements Adapter<SegmentData> {
  readonly #file: string;
  readonly #temp: string;
  readonly #writer: FileWriter;
  /** What the file holds once every write handed to the writer has landed. */
  #written: { records: StoredRequest[]; evictedThrough: string | null } | null = null;
  #lines = 0;
  /** Set after a failed write: the file may not match #written, so the next write rewrites it. */
  #dirty = false;

  constructor(file: string, writer: FileWriter) {
    this.#file = file;
    this.#temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
    this.#writer = writer;
  }

  async read(): Promise<SegmentData | null> {
    const text = await readTextIfPresent(this.#file);
    if (text === null) return null;
    const { data, lines, completeBytes } = replay(text, this.#file);
    if (completeBytes < Buffer.byteLength(text)) await truncate(this.#file, completeBytes);
    this.#written = { records: data.records, evictedThrough: data.evictedThrough };
    this.#lines = lines;
    return data;
  }

  write(data: SegmentData): Promise<void> {
    const previous = this.#written;
    const changes = previous && !this.#dirty ? diff(previous, data) : null;
    this.#written = { records: data.records, evictedThrough: data.evictedThrough };
    let done: Promise<void>;
    if (changes !== null && this.#lines + changes.length <= 2 * data.records.length + 32) {
      if (changes.length === 0) return Promise.resolve();
      this.#lines += changes.length;
      done = this.#writer.append(this.#file, `${changes.join('\n')}\n`);
    } else {
      const lines = snapshot(data);
      this.#lines = lines.length;
      done = this.#writer.write(this.#file, this.#temp, `${lines.join('\n')}\n`);
    }
    return done.catch((error: unknown) => {
      this.#dirty = true;
      throw error;
    });
  }

  /** Closes the writer's descriptor of the file, after the writes before it. */
  close(): Promise<void> {
    return this.#writer.release(this.#file);
  }

  async remove(): Promise<void> {
    await this.#writer.release(this.#file); // the writer keeps appended files open
    await Promise.all([unlinkIfPresent(this.#file), unlinkIfPresent(this.#temp)]);
  }
}

// A request's line is made once and reused (requests are immutable; a change is a new object).
const lineCache = new WeakMap<StoredRequest, string>();

/** Drops the cached lines of requests whose segment is full (it is rarely written again). */
export function forgetCachedLines(records: readonly StoredRequest[]): void {
  for (const record of records) lineCache.delete(record);
}

function addLine(record: StoredRequest, kind: 'r' | 'u'): string {
  if (kind === 'u') return `{"u":${JSON.stringify(record)}}`;
  let line = lineCache.get(record);
  if (line === undefined) {
    line = `{"r":${JSON.stringify(record)}}`;
    lineCache.set(record, line);
  }
  return line;
}

/** Lines that turn `before` into `after`. */
function diff(before: { records: StoredRequest[]; evictedThrough: string | null }, after: SegmentData): string[] {
  // The common case, a commit that only appends: `before` is a prefix of `after` (same objects).
  if (after.records.length >= before.records.length && before.records.every((r, i) => after.records[i] === r)) {
    const lines = after.records.slice(before.records.length).map((r) => addLine(r, 'r'));
    if (after.evictedThrough !== before.evictedThrough) lines.push(`{"w":${JSON.stringify(after.evictedThrough)}}`);
    return lines;
  }
  const lines: string[] = [];
  const beforeObjects = new Set(before.records);
  const beforeIds = new Set(before.records.map((r) => r.id));
  const afterIds = new Set<string>();
  for (const record of after.records) {
    afterIds.add(record.id);
    if (!beforeObjects.has(record)) lines.push(addLine(record, beforeIds.has(record.id) ? 'u' : 'r'));
  }
  for (const id of beforeIds) if (!afterIds.has(id)) lines.push(`{"d":${JSON.stringify(id)}}`);
  if (after.evictedThrough !== before.evictedThrough) lines.push(`{"w":${JSON.stringify(after.evictedThrough)}}`);
  return lines;
}

function snapshot(data: SegmentData): string[] {
  const lines = data.records.map((r) => addLine(r, 'r'));
  if (data.evictedThrough !== null) lines.push(`{"w":${JSON.stringify(data.evictedThrough)}}`);
  return lines;
}

/** Rebuilds a segment from its lines. Only a torn last line is tolerated (and reported by size). */
function replay(text: string, file: string): { data: SegmentData; lines: number; completeBytes: number } {
  const records: StoredRequest[] = [];
  const index = new Map<string, number>();
  let evictedThrough: string | null = null;
  const rows = text.split('\n');
  const complete = rows.length - 1; // what follows the last \n is empty, or a torn line
  for (let i = 0; i < complete; i++) {
    let change: { r?: StoredRequest; u?: StoredRequest; d?: string; w?: string | null };
    try {
      change = JSON.parse(rows[i]!);
    } catch {
      throw new Error(`hookscope: ${file} line ${i + 1} is corrupt (not JSON); move the file away to start without it`);
    }
    if (change.r) {
      index.set(change.r.id, records.length);
      records.push(change.r);
    } else if (change.u) {
      const at = index.get(change.u.id);
      if (at !== undefined && records[at] !== undefined) records[at] = change.u;
    } else if (change.d !== undefined) {
      const at = index.get(change.d);
      if (at !== undefined) records[at] = undefined as never;
    } else if ('w' in change) evictedThrough = change.w ?? null;
  }
  const completeBytes = Buffer.byteLength(rows.slice(0, complete).join('\n')) + (complete > 0 ? 1 : 0);
  return { data: { version: 1, evictedThrough, records: records.filter(Boolean) }, lines: complete, completeBytes };
}
