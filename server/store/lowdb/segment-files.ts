import { open, readdir, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { unlinkIfPresent } from '../files/durable-file.js';
import { contentEndIn } from '../files/file-appender.js';
import type { LinePosition } from './request-index.js';
import { HEAD_START, parseLineHead, parseRequestHead, type LineHead } from './segment-lines.js';
import { EMPTY_USAGE, type BinUsage } from '../usage.js';

/** A bin's segment logs are `segments/<12-digit sequence>.jsonl`, oldest first. */
const SEGMENT_FILE = /^(\d{12})\.jsonl$/;

export function segmentFileName(seq: number): string {
  return `${String(seq).padStart(12, '0')}.jsonl`;
}

/** The sequence number of a segment file name, or null for any other file. */
export function parseSegmentFileName(name: string): number | null {
  const match = SEGMENT_FILE.exec(name);
  return match ? Number(match[1]) : null;
}

/** The segments in `dir`, oldest first (none when it does not exist), after deleting temporary files a crash left. */
export async function listSegments(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  await Promise.all(names.filter((n) => n.endsWith('.tmp')).map((n) => unlinkIfPresent(path.join(dir, n))));
  return names
    .map(parseSegmentFileName)
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b);
}

/** One complete line of a segment as scanned at load: where it is and what it says (null: unreadable). */
export interface ScannedLine {
  offset: number;
  length: number;
  head: LineHead | null;
}

/**
 * Reads a whole segment and the head of every complete line. A torn last line (no newline after
 * it: an append a crash cut short, never acknowledged) is cut off the file.
 */
export async function scanSegment(file: string): Promise<{ lines: ScannedLine[]; size: number }> {
  const bytes = await readFile(file);
  const lines: ScannedLine[] = [];
  let offset = 0;
  for (;;) {
    const end = bytes.indexOf(10, offset);
    if (end === -1) break;
    lines.push({ offset, length: end - offset, head: scanLine(bytes, offset, end) });
    offset = end + 1;
  }
  if (offset < bytes.length) await truncate(file, offset);
  return { lines, size: offset };
}

/**
 * What a line says: a current-version request line is read up to its head only (the request
 * is parsed when it is read, not at load), any other line whole.
 */
function scanLine(bytes: Buffer, start: number, end: number): LineHead | null {
  if (bytes.toString('latin1', start, start + HEAD_START.length) === HEAD_START) {
    if (bytes[end - 1] !== 0x7d || bytes[end - 2] !== 0x7d) return null; // not ending in }}: damaged
    // Decode only the head (and usage), found by its `],"` ends as parseRequestHead does: a line
    // is ~2 KB and a bin's load decodes every line, so the rest of the bytes are not touched.
    let stop = bytes.indexOf(ARRAY_END, start + HEAD_START.length);
    if (stop !== -1 && stop < end && bytes.toString('latin1', stop + 3, stop + 7) === 's":[') stop = bytes.indexOf(ARRAY_END, stop + 7);
    if (stop === -1 || stop >= end) return parseRequestHead(bytes.toString('utf8', start, end)); // no head: null, as the whole line says
    return parseRequestHead(bytes.toString('utf8', start, Math.min(end, stop + 6)));
  }
  return parseLineHead(bytes.toString('utf8', start, end));
}

/** Bytes read at most to find a request line's head (an id, two numbers and a delivery key). */
const HEAD_PEEK = 1024;

/** What ends the head's array (and the usage's): see parseRequestHead. */
const ARRAY_END = Buffer.from('],"');

/**
 * The text of the lines at `positions` in `file`, in the order asked. Lines close together are
 * read with one call.
 */
export async function readLines(file: string, positions: readonly LinePosition[]): Promise<string[]> {
  const order = positions.map((p, i) => ({ p, i })).sort((a, b) => a.p.offset - b.p.offset);
  const texts = new Array<string>(positions.length);
  const handle = await open(file, 'r');
  try {
    let k = 0;
    while (k < order.length) {
      // One read for a run of lines whose gaps are small.
      let last = k;
      const start = order[k]!.p.offset;
      while (last + 1 < order.length) {
        const next = order[last + 1]!.p;
        const end = order[last]!.p.offset + order[last]!.p.length;
        if (next.offset - end > MERGE_GAP || next.offset + next.length - start > MAX_READ) break;
        last++;
      }
      const end = order[last]!.p.offset + order[last]!.p.length;
      const buffer = Buffer.allocUnsafe(end - start);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      for (let j = k; j <= last; j++) {
        const { p, i } = order[j]!;
        const from = p.offset - start;
        texts[i] = from + p.length <= bytesRead ? buffer.toString('utf8', from, from + p.length) : '';
      }
      k = last + 1;
    }
  } finally {
    await handle.close();
  }
  return texts;
}

const MERGE_GAP = 16 * 1024;
const MAX_READ = 4 * 1024 * 1024;

/**
 * A bin's usage as its newest segment ends with it (the `s` the last line carries), read from
 * the end of the file; null when it cannot be told that way (an older version's log, a torn
 * end, a last line too long to find), and the bin must be opened to count.
 */
export async function readUsageAtEnd(segmentsDir: string): Promise<BinUsage | null> {
  let seqs: number[];
  try {
    seqs = (await readdir(segmentsDir)).map(parseSegmentFileName).filter((s): s is number => s !== null);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_USAGE;
    throw error;
  }
  if (seqs.length === 0) return EMPTY_USAGE;
  const handle = await open(path.join(segmentsDir, segmentFileName(Math.max(...seqs))), 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return null;
    for (const want of TAIL_READS) {
      const length = Math.min(size, want);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      const end = contentEndIn(buffer, length); // before the appender's zero fill, left there by a crash
      if (end === 0) {
        if (length < size) continue; // nothing but fill in this much: read more
        return null; // a segment with no line yet: the bin is opened to count
      }
      if (buffer[end - 1] !== 10) return null; // a torn end: the log is mended when opened
      const start = buffer.lastIndexOf(10, end - 2) + 1; // 0 when the last line starts before the buffer, or the file
      if (start === 0 && length < size) continue; // the last line starts earlier: read more
      const line = buffer.toString('utf8', start, end - 1);
      const head = line.startsWith(HEAD_START) ? parseRequestHead(line.slice(0, HEAD_PEEK * 2)) : parseLineHead(line);
      return head?.usage ?? null;
    }
    return null;
  } finally {
    await handle.close();
  }
}

/** How much of a segment's end to read, in turn, to find its last line's start. */
const TAIL_READS = [4096, 1024 * 1024];
