import { truncate } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { copyDurably, readTextIfPresent, unlinkIfPresent } from './durable-file.js';
import type { FileWriter, WriteFailure } from './file-writer.js';
import { parseSegmentLine } from './segment-lines.js';
import type { StoredRequest } from './types.js';
import type { SegmentData } from './segment.js';

/**
 * A lowdb adapter that stores a segment as an append-only JSON Lines log, so that a commit
 * costs what it adds, not what the segment holds. Each line is one change:
 *   {"r":<request>}  added      {"u":<request>}  replaced (same id)
 *   {"d":"<id>"}     deleted    {"w":"<id>"|null} eviction watermark (SegmentData.evictedThrough)
 * write(data) compares `data` with what it last handed to the writer (records are immutable:
 * a changed request is a new object) and appends only the difference, fsynced. When the log
 * has grown well past its content it rewrites the whole segment atomically (temp file, fsync,
 * rename) instead.
 *
 * A failed write (a full disk) leaves the file as it was (the writer cuts a failed append back),
 * so the next write appends again as if the failed one had never been tried. Only when that is
 * not certain (the writer could not undo it, or later writes were already on their way) is the
 * next write a whole rewrite, once: appends resume after it.
 *
 * A crash can tear only the last line (a write that was never acknowledged): read() drops it
 * and truncates the file back to its last complete line. Any other unreadable line is left out
 * after the file is copied aside (see #setAside).
 */
export class JsonLinesSegmentFile implements Adapter<SegmentData> {
  readonly #file: string;
  readonly #temp: string;
  readonly #writer: FileWriter;
  /** What the file holds once every write handed to the writer has landed. */
  #written: { records: StoredRequest[]; evictedThrough: string | null } | null = null;
  #lines = 0;
  /** The file may not match #written (a write failed and was not undone): the next write rewrites it. */
  #dirty = false;
  /** Counts writes handed to the writer, to tell whether a failed one was the latest. */
  #generation = 0;

  constructor(file: string, writer: FileWriter) {
    this.#file = file;
    this.#temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
    this.#writer = writer;
  }

  async read(): Promise<SegmentData | null> {
    const text = await readTextIfPresent(this.#file);
    if (text === null) return null;
    const { data, lines, completeBytes, unreadable } = replay(text);
    this.#written = { records: data.records, evictedThrough: data.evictedThrough };
    this.#lines = lines;
    if (unreadable.length > 0) await this.#setAside(data, unreadable);
    else if (completeBytes < Buffer.byteLength(text)) await truncate(this.#file, completeBytes);
    return data;
  }

  /**
   * Lines that cannot be read (a damaged disk, a hand edit) are left out rather than making the
   * whole bin unreadable, but nothing is thrown away: the file as it was is copied aside, durably,
   * before the segment is rewritten without them.
   */
  async #setAside(data: SegmentData, unreadable: number[]): Promise<void> {
    const copy = `${this.#file}.unreadable-${Date.now()}`;
    await copyDurably(this.#file, copy);
    const lines = snapshot(data);
    await this.#writer.write(this.#file, this.#temp, `${lines.join('\n')}\n`); // also makes the copy's directory entry durable
    this.#lines = lines.length;
    const which = unreadable.length > 5 ? `${unreadable.slice(0, 5).join(', ')} and ${unreadable.length - 5} more` : unreadable.join(', ');
    console.warn(`hookscope: ${this.#file}: line ${which} could not be read and was left out; the file as it was is kept as ${copy}`);
  }

  write(data: SegmentData): Promise<void> {
    const before = { written: this.#written, lines: this.#lines, dirty: this.#dirty };
    const changes = before.written && !this.#dirty ? diff(before.written, data) : null;
    this.#written = { records: data.records, evictedThrough: data.evictedThrough };
    let done: Promise<void>;
    if (changes !== null && this.#lines + changes.length <= 2 * data.records.length + 32) {
      if (changes.length === 0) return Promise.resolve();
      this.#lines += changes.length;
      done = this.#writer.append(this.#file, `${changes.join('\n')}\n`);
    } else {
      const lines = snapshot(data);
      this.#lines = lines.length;
      this.#dirty = false; // the whole file is replaced
      done = this.#writer.write(this.#file, this.#temp, `${lines.join('\n')}\n`);
    }
    const generation = ++this.#generation;
    return done.catch((error: unknown) => {
      if ((error as WriteFailure).rolledBack === true && generation === this.#generation) {
        // The file is as it was before this write, and no later write was built on this one.
        this.#written = before.written;
        this.#lines = before.lines;
        this.#dirty ||= before.dirty; // an earlier failure, reported since, keeps it dirty
      } else {
        this.#dirty = true;
      }
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

/**
 * Rebuilds a segment from its lines. A torn last line (no newline after it) is reported by
 * `completeBytes`; other lines that cannot be read are left out and listed in `unreadable`
 * (1-based line numbers).
 */
function replay(text: string): { data: SegmentData; lines: number; completeBytes: number; unreadable: number[] } {
  const records: StoredRequest[] = [];
  const index = new Map<string, number>();
  const unreadable: number[] = [];
  let evictedThrough: string | null = null;
  const rows = text.split('\n');
  const complete = rows.length - 1; // what follows the last \n is empty, or a torn line
  for (let i = 0; i < complete; i++) {
    const change = parseSegmentLine(rows[i]!);
    if (change === null) unreadable.push(i + 1);
    else if ('r' in change) {
      index.set(change.r.id, records.length);
      records.push(change.r);
    } else if ('u' in change) {
      const at = index.get(change.u.id);
      if (at !== undefined && records[at] !== undefined) records[at] = change.u;
    } else if ('d' in change) {
      const at = index.get(change.d);
      if (at !== undefined) records[at] = undefined as never;
    } else evictedThrough = change.w;
  }
  const completeBytes = Buffer.byteLength(rows.slice(0, complete).join('\n')) + (complete > 0 ? 1 : 0);
  return { data: { version: 1, evictedThrough, records: records.filter(Boolean) }, lines: complete, completeBytes, unreadable };
}
