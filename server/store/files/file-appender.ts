import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** What a failed append rejects with, besides the I/O error's message and code. */
export interface AppendFailure extends Error {
  code?: string;
  /** True when the file was put back to its size before the append (nothing of it stays). */
  rolledBack: boolean;
}

/**
 * Durable appends from the main thread, one libuv call each: files are opened with O_DSYNC, so
 * a write returns only once its data (and the file's new size) is on disk, as write + fdatasync
 * would, without a second trip through the thread pool. Measured against the writer thread
 * (npm run bench, idle latency), this removes two thread hand-offs from every capture.
 *
 * Appends to one file must not overlap (each bin's log writes one at a time); appends to
 * different files run in parallel on libuv's pool. A failed append is cut back to the file's
 * size before it (a full disk must not leave a torn line in the middle of a log).
 */
export class FileAppender {
  /** Open files, least recently used first; `size` is what is on disk. */
  readonly #files = new Map<string, { handle: FileHandle; size: number; busy: number }>();
  /** For tests: every append writes half its data, then fails with this code (see FileWriter.injectFault). */
  fault: string | null = null;

  async append(file: string, data: string | Uint8Array): Promise<void> {
    const entry = this.#known(file) ?? (await this.#open(file)); // no extra turn for an open file
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    entry.busy++;
    try {
      const fault = this.fault; // as it was when the write began: a test may lift it meanwhile
      if (fault !== null) {
        await entry.handle.write(bytes, 0, bytes.length >> 1);
        throw Object.assign(new Error(`${fault}: no space left on device (simulated), write`), { code: fault });
      }
      for (let written = 0; written < bytes.length;) written += (await entry.handle.write(bytes, written, bytes.length - written)).bytesWritten;
      entry.size += bytes.length;
    } catch (error) {
      throw Object.assign(error as Error, { rolledBack: await this.#cutBack(file, entry) });
    } finally {
      entry.busy--;
    }
  }

  /** Closes the file if it is open (before it is deleted or replaced). */
  async release(file: string): Promise<void> {
    const entry = this.#files.get(file);
    if (!entry) return;
    this.#files.delete(file);
    await entry.handle.close();
  }

  async close(): Promise<void> {
    const entries = [...this.#files.values()];
    this.#files.clear();
    await Promise.all(entries.map((e) => e.handle.close()));
  }

  /** The open file, marked most recently used; undefined when it is not open. */
  #known(file: string): { handle: FileHandle; size: number; busy: number } | undefined {
    const known = this.#files.get(file);
    if (known) {
      this.#files.delete(file); // re-inserted as the most recently used
      this.#files.set(file, known);
    }
    return known;
  }

  async #open(file: string): Promise<{ handle: FileHandle; size: number; busy: number }> {
    const known = this.#known(file);
    if (known) return known;
    let handle: FileHandle;
    try {
      handle = await open(file, APPEND_FLAGS);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw Object.assign(error as Error, { rolledBack: true });
      // A new file: its directory entry must be durable too, before anything is acknowledged.
      handle = await open(file, APPEND_FLAGS | constants.O_CREAT).catch((e: Error) => Promise.reject(Object.assign(e, { rolledBack: true })));
      await syncDirectory(path.dirname(file)).catch(async (e: Error) => {
        await handle.close();
        throw Object.assign(e, { rolledBack: true });
      });
    }
    const entry = { handle, size: (await handle.stat()).size, busy: 0 };
    this.#files.set(file, entry);
    for (const [name, open] of this.#files) {
      if (this.#files.size <= MAX_OPEN) break;
      if (open.busy > 0 || open === entry) continue;
      this.#files.delete(name);
      void open.handle.close();
    }
    return entry;
  }

  /** Puts the file back to its size before a failed append; false when that failed too. */
  async #cutBack(file: string, entry: { handle: FileHandle; size: number }): Promise<boolean> {
    try {
      await entry.handle.truncate(entry.size);
      await entry.handle.datasync();
      return true;
    } catch {
      this.#files.delete(file);
      await entry.handle.close().catch(() => undefined);
      return false;
    }
  }
}

const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_DSYNC;
/** Files kept open for appends (a bin's newest segment each, for the bins in use). */
const MAX_OPEN = 64;

/** fsyncs a directory, so the entries made or removed in it survive a crash. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
