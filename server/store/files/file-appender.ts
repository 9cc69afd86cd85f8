import { constants, write } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** What a failed append rejects with, besides the I/O error's message and code. */
export interface AppendFailure extends Error {
  code?: string;
  /** True when the file was put back to its size before the append (nothing of it stays). */
  rolledBack: boolean;
}

/** An open file: `size` is where its content ends (the next append goes there), `extent` how far zeros are written past it. */
interface OpenFile {
  handle: FileHandle;
  size: number;
  extent: number;
  busy: number;
  /** A zero fill past `extent` under way. */
  extending: Promise<void> | null;
  /** False once a zero fill failed (a full disk): appends then grow the file as they go. */
  canExtend: boolean;
}

/**
 * Durable appends from the main thread, one libuv call each: files are opened with O_DSYNC, so
 * a write returns only once its data is on disk, as write + fdatasync would, without a second
 * trip through the thread pool. Measured against the writer thread (npm run bench, idle
 * latency), this removes two thread hand-offs from every capture.
 *
 * Each file is kept zero-filled up to EXTEND_BYTES past its content, ahead of the appends: a
 * write over bytes already on disk leaves the file's size and blocks alone, so the synchronous
 * write has no metadata to commit (1,400-byte writes on this ext4 disk: 0.26 ms p50 against 0.35
 * ms for a growing file; BENCH.md). The zeros are never content: a line ends with a newline and
 * JSON text holds no NUL byte, so a file's content ends at its last non-zero byte; the log's
 * load cuts everything after its last line anyway (as after a torn write), and a file is cut
 * back to its content when it is let go.
 *
 * Appends to one file must not overlap (each bin's log writes one at a time); appends to
 * different files run in parallel on libuv's pool. A failed append is undone (its bytes zeroed,
 * or cut off past the zeros): a full disk must not leave a torn line in the middle of a log.
 */
export class FileAppender {
  /** Open files, least recently used first. */
  readonly #files = new Map<string, OpenFile>();
  /**
   * Files being let go (cut back to their content, then closed): a file is opened again only
   * after, or the cut of the old handle could land after new lines written through the new one.
   */
  readonly #closing = new Map<string, Promise<void>>();
  /** For tests: every append writes half its data, then fails with this code (see FileWriter.injectFault). */
  fault: string | null = null;

  async append(file: string, data: string | Uint8Array): Promise<void> {
    const entry = this.#known(file) ?? (await this.#open(file)); // no extra turn for an open file
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    entry.busy++;
    try {
      if (entry.size + bytes.length > entry.extent) await this.#extend(entry, entry.size + bytes.length);
      const fault = this.fault; // as it was when the write began: a test may lift it meanwhile
      if (fault !== null) {
        await entry.handle.write(bytes, 0, bytes.length >> 1, entry.size);
        throw Object.assign(new Error(`${fault}: no space left on device (simulated), write`), { code: fault });
      }
      await writeAll(entry.handle, bytes, entry.size);
      entry.size += bytes.length;
      if (entry.extent - entry.size < EXTEND_BYTES / 2) void this.#extend(entry, entry.size + EXTEND_BYTES / 2); // ahead of the next appends
    } catch (error) {
      throw Object.assign(error as Error, { rolledBack: await this.#undo(file, entry, bytes.length) });
    } finally {
      entry.busy--;
    }
  }

  /** Closes the file if it is open (before it is deleted or replaced), cut back to its content. */
  async release(file: string): Promise<void> {
    const entry = this.#files.get(file);
    if (entry) await this.#letGo(file, entry);
    await this.#closing.get(file);
  }

  async close(): Promise<void> {
    const entries = [...this.#files];
    await Promise.all(entries.map(([file, entry]) => this.#letGo(file, entry)));
    await Promise.all(this.#closing.values());
  }

  /** Forgets the file and closes it, cut back to its content (tracked in #closing until done). */
  #letGo(file: string, entry: OpenFile): Promise<void> {
    this.#files.delete(file);
    const closing = closeFile(entry).finally(() => {
      if (this.#closing.get(file) === closing) this.#closing.delete(file);
    });
    this.#closing.set(file, closing);
    return closing;
  }

  /** The open file, marked most recently used; undefined when it is not open. */
  #known(file: string): OpenFile | undefined {
    const known = this.#files.get(file);
    if (known) {
      this.#files.delete(file); // re-inserted as the most recently used
      this.#files.set(file, known);
    }
    return known;
  }

  async #open(file: string): Promise<OpenFile> {
    await this.#closing.get(file)?.catch(() => undefined);
    const known = this.#known(file); // opened by another append meanwhile
    if (known) return known;
    let handle: FileHandle;
    try {
      handle = await open(file, OPEN_FLAGS);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw Object.assign(error as Error, { rolledBack: true });
      // A new file: its directory entry must be durable too, before anything is acknowledged.
      handle = await open(file, OPEN_FLAGS | constants.O_CREAT).catch((e: Error) => Promise.reject(Object.assign(e, { rolledBack: true })));
      await syncDirectory(path.dirname(file)).catch(async (e: Error) => {
        await handle.close();
        throw Object.assign(e, { rolledBack: true });
      });
    }
    const onDisk = (await handle.stat()).size;
    // A file left by a crash may end in zeros (its fill): the content ends before them.
    const size = await contentEnd(handle, onDisk);
    const entry: OpenFile = { handle, size, extent: onDisk, busy: 0, extending: null, canExtend: true };
    this.#files.set(file, entry);
    for (const [name, open] of this.#files) {
      if (this.#files.size <= MAX_OPEN) break;
      if (open.busy > 0 || open === entry) continue;
      void this.#letGo(name, open).catch(() => undefined);
    }
    return entry;
  }

  /**
   * Writes zeros past the file's extent until it reaches `needed` (a whole EXTEND_BYTES more),
   * durably; one fill at a time. A fill that fails (a full disk) is given up for this file: an
   * append then writes past the end as a plain append would, so a nearly full disk takes every
   * line that fits.
   */
  async #extend(entry: OpenFile, needed: number): Promise<void> {
    while (entry.canExtend && entry.extent < needed) {
      if (entry.extending) {
        await entry.extending;
        continue;
      }
      const from = entry.extent;
      const length = Math.max(EXTEND_BYTES, needed - from);
      entry.extending = writeAll(entry.handle, Buffer.alloc(length), from).then(
        () => {
          entry.extent = Math.max(entry.extent, from + length);
        },
        () => {
          entry.canExtend = false;
        },
      );
      await entry.extending;
      entry.extending = null;
    }
  }

  /**
   * Undoes a failed append of `length` bytes at the file's content end: zeros over it where the
   * file was zero-filled (as it was before), else cut back to the content; false when that failed too.
   */
  async #undo(file: string, entry: OpenFile, length: number): Promise<boolean> {
    try {
      if (entry.size + length <= entry.extent) await writeAll(entry.handle, Buffer.alloc(length), entry.size);
      else {
        await entry.extending?.catch(() => undefined);
        await entry.handle.truncate(entry.size);
        await entry.handle.datasync();
        entry.extent = entry.size;
      }
      return true;
    } catch {
      this.#files.delete(file);
      await entry.handle.close().catch(() => undefined);
      return false;
    }
  }
}

/** How far ahead of its content an appended file is zero-filled (the fill is one write). */
const EXTEND_BYTES = 256 * 1024;

const OPEN_FLAGS = constants.O_RDWR | constants.O_DSYNC;
/** Files kept open for appends (a bin's newest segment each, for the bins in use). */
const MAX_OPEN = 64;

/**
 * Writes all of `bytes` at `position`. Through the callback API on the handle's descriptor: one
 * promise a write, where FileHandle.write adds several (its checks, reference count and result
 * object) to every capture's commit. The handle stays open meanwhile (`busy`, `extending`).
 */
function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const from = (written: number) =>
      write(handle.fd, bytes, written, bytes.length - written, position + written, (error, count) => {
        if (error) reject(error);
        else if (written + count < bytes.length) from(written + count);
        else resolve();
      });
    from(0);
  });
}

/**
 * Where the content ends in the first `length` bytes of `bytes`, read from a file's end: after
 * the last byte that is not zero (the zeros after it are fill; see FileAppender). 0: only zeros.
 */
export function contentEndIn(bytes: Uint8Array, length: number): number {
  let end = length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end;
}

/** Where the content of a file of `size` bytes ends (see contentEndIn), reading back from its end. */
async function contentEnd(handle: FileHandle, size: number): Promise<number> {
  const buffer = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0;) {
    const length = Math.min(buffer.length, end);
    const { bytesRead } = await handle.read(buffer, 0, length, end - length);
    const found = contentEndIn(buffer, bytesRead);
    if (found > 0) return end - length + found;
    end -= length;
  }
  return 0;
}

/** Cuts a file back to its content (its zero fill goes; not made durable, as the zeros are no content) and closes it. */
async function closeFile(entry: OpenFile): Promise<void> {
  try {
    await entry.extending?.catch(() => undefined);
    // By the file's own size, not `extent`: a fill cut short by a full disk left zeros it does not count.
    if ((await entry.handle.stat()).size > entry.size) await entry.handle.truncate(entry.size);
  } finally {
    await entry.handle.close();
  }
}

/** fsyncs a directory, so the entries made or removed in it survive a crash. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
