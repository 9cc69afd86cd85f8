import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { copyDurably, unlinkIfPresent } from '../files/durable-file.js';
import type { FileWriter, WriteFailure } from '../files/file-writer.js';
import type { LinePosition } from './request-index.js';
import { listSegments, readLines, scanSegment, segmentFileName, type ScannedLine } from './segment-files.js';
import { HEAD_START } from './segment-lines.js';

/**
 * Where an appended line is, and its bytes without the newline: a view of the buffer that was
 * written (the record cache keeps it, off the JavaScript heap; see record-cache.ts).
 */
export interface AppendedLine extends LinePosition {
  bytes: Buffer;
}

/** Request lines per segment: past it, writes go to a new segment. */
export const SEGMENT_SIZE = 256;
/** Bytes per segment past which writes go to a new one, whatever its line count (large inline bodies). */
const SEGMENT_MAX_BYTES = 16 * 1024 * 1024;

interface SegmentState {
  seq: number;
  file: string;
  /** Bytes written to it (and durable) so far. */
  size: number;
  /** Request lines (`r`, `u`) it holds. */
  requestLines: number;
}

/**
 * A bin's segment logs on disk (`segments/<seq>.jsonl`), oldest first: appends go to the newest
 * one, reads go to any by byte position, and whole segments that hold nothing live any more
 * are deleted, oldest first. What the lines mean is segment-lines.ts's and bin-log.ts's concern.
 *
 * Only one append runs at a time (the bin's log serialises its writes), so a failed append that
 * the writer undid (a full disk) leaves the newest segment exactly as before and the next append
 * simply goes on; when it could not be undone, the next append starts a new segment, leaving the
 * unknown bytes at the end of the old one to be cut off as a torn line when the log is next opened.
 */
export class SegmentChain {
  readonly #dir: string;
  readonly #writer: FileWriter;
  #segments: SegmentState[] = [];
  /** The newest segment's end may hold bytes of a failed append: start a new segment first. */
  #broken = false;

  constructor(dir: string, writer: FileWriter) {
    this.#dir = dir;
    this.#writer = writer;
  }

  get newestSeq(): number | undefined {
    return this.#segments[this.#segments.length - 1]?.seq;
  }

  /**
   * Opens the segments (creating the folder), calling `onLine` for every complete line, oldest
   * first. A torn last line is cut off. Lines that cannot be read are left out after the file as
   * it was is copied aside (`<segment>.unreadable-<time>`), durably, and the segment is rewritten
   * without them; a warning names them. A bin with no segment yet has no folder either: it is
   * made with the first write, so reading a bin changes nothing on disk.
   */
  async load(onLine: (seq: number, line: ScannedLine) => void): Promise<void> {
    for (const seq of await listSegments(this.#dir)) {
      const file = path.join(this.#dir, segmentFileName(seq));
      let scanned = await scanSegment(file);
      const unreadable = scanned.lines.flatMap((line, i) => (line.head === null ? [i + 1] : []));
      if (unreadable.length > 0) scanned = await this.#setAside(file, scanned.lines, unreadable);
      let requestLines = 0;
      for (const line of scanned.lines) {
        if (line.head!.kind === 'r' || line.head!.kind === 'u') requestLines++;
        onLine(seq, line);
      }
      this.#segments.push({ seq, file, size: scanned.size, requestLines });
    }
  }

  /**
   * Appends `lines` durably to the newest segment, or to a new one (starting with `opening()`,
   * e.g. the eviction watermark) when it is full; returns where each of `lines` is. Rejects with
   * the writer's error (DiskFullError for a full disk) when it could not be made durable.
   */
  async append(lines: readonly string[], opening: () => string[]): Promise<AppendedLine[]> {
    let segment = this.#segments[this.#segments.length - 1];
    let all = lines;
    if (!segment || this.#broken || segment.requestLines >= SEGMENT_SIZE || segment.size >= SEGMENT_MAX_BYTES) {
      segment = { seq: (segment?.seq ?? 0) + 1, file: '', size: 0, requestLines: 0 };
      segment.file = path.join(this.#dir, segmentFileName(segment.seq));
      if (this.#segments.length === 0) await mkdir(this.#dir, { recursive: true });
      this.#segments.push(segment);
      this.#broken = false;
      all = [...opening(), ...lines];
    }
    const lengths = all.map((line) => Buffer.byteLength(line));
    // A buffer of its own, not a slice of Node's shared pool: the record cache keeps views of it.
    const data = Buffer.allocUnsafeSlow(lengths.reduce((sum, length) => sum + length + 1, 0));
    const positions: AppendedLine[] = [];
    let offset = segment.size;
    let requestLines = 0;
    all.forEach((line, i) => {
      const length = lengths[i]!;
      const start = offset - segment.size;
      data.write(line, start); // each line in place: no joined copy of the whole batch first
      data[start + length] = 0x0a; // '\n'
      positions.push({ seq: segment.seq, offset, length, bytes: data.subarray(start, start + length) });
      offset += length + 1;
      if (line.startsWith(HEAD_START)) requestLines++;
    });
    try {
      await this.#writer.append(segment.file, data);
    } catch (error) {
      if ((error as WriteFailure).rolledBack !== true) this.#broken = true;
      throw error;
    }
    segment.size = offset;
    segment.requestLines += requestLines;
    return positions.slice(all.length - lines.length);
  }

  /** The text of the lines at `positions` (in any segments), in the order asked; '' for a line whose segment is gone. */
  async read(positions: readonly LinePosition[]): Promise<string[]> {
    const texts = new Array<string>(positions.length).fill('');
    const bySegment = new Map<number, number[]>();
    positions.forEach((p, i) => {
      const indexes = bySegment.get(p.seq);
      if (indexes) indexes.push(i);
      else bySegment.set(p.seq, [i]);
    });
    await Promise.all(
      [...bySegment].map(async ([seq, indexes]) => {
        try {
          const read = await readLines(
            path.join(this.#dir, segmentFileName(seq)),
            indexes.map((i) => positions[i]!),
          );
          indexes.forEach((i, k) => (texts[i] = read[k]!));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted meanwhile: its requests are gone
        }
      }),
    );
    return texts;
  }

  /** Deletes the oldest segments, up to the newest (kept), for as long as `isLive` says they hold nothing live. */
  async removeDead(isLive: (seq: number) => boolean): Promise<void> {
    while (this.hasDead(isLive)) await this.#remove(this.#segments.shift()!);
  }

  /** Whether removeDead would delete a segment now. Oldest first only: a later segment may hold the `d` line of a request in an earlier one. */
  hasDead(isLive: (seq: number) => boolean): boolean {
    return this.#segments.length > 1 && !isLive(this.#segments[0]!.seq);
  }

  /** Lets go of the writer's descriptors; the chain is not used again. */
  async close(): Promise<void> {
    await Promise.all(this.#segments.map((s) => this.#writer.release(s.file)));
  }

  async #remove(segment: SegmentState): Promise<void> {
    await this.#writer.release(segment.file); // the writer keeps appended files open
    await unlinkIfPresent(segment.file);
  }

  async #setAside(file: string, lines: ScannedLine[], unreadable: number[]): Promise<{ lines: ScannedLine[]; size: number }> {
    const copy = `${file}.unreadable-${Date.now()}`;
    await copyDurably(file, copy);
    const bytes = await readFile(file);
    const kept = lines.filter((l) => l.head !== null).map((l) => bytes.subarray(l.offset, l.offset + l.length));
    const text = Buffer.concat(kept.flatMap((line) => [line, NEWLINE]));
    await this.#writer.release(file); // a descriptor kept for appends would go on writing to the old file
    await this.#writer.write(file, path.join(path.dirname(file), `.${path.basename(file)}.tmp`), text); // also makes the copy's directory entry durable
    const which = unreadable.length > 5 ? `${unreadable.slice(0, 5).join(', ')} and ${unreadable.length - 5} more` : unreadable.join(', ');
    console.warn(`hookscope: ${file}: line ${which} could not be read and was left out; the file as it was is kept as ${copy}`);
    return scanSegment(file);
  }
}

const NEWLINE = Buffer.from('\n');
