import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter that makes each write durable and atomic: the text goes to a temporary file,
 * is fsynced, and is renamed over the target (then the directory is fsynced so the rename
 * itself survives a power cut). A process killed at any moment leaves either the old or the
 * new file, never a torn one.
 *
 * Writes are serialised; a write requested while another is in flight is coalesced with any
 * other waiting writes into the next one (only the newest data is written), and every waiting
 * caller resolves once data at least as new as theirs is on disk.
 *
 * `serialize` turns the data into text; callers with large, mostly unchanged data can pass one
 * that reuses cached pieces.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly #file: string;
  readonly #temp: string;
  readonly #serialize: (data: T) => string;
  /** Settles when the last started write has finished (never rejects). */
  #tail: Promise<void> = Promise.resolve();
  /** The next write, not yet started: later writes replace its data and share its promise. */
  #pending: { data: T; promise: Promise<void> } | null = null;

  constructor(file: string, serialize: (data: T) => string = (data) => JSON.stringify(data)) {
    this.#file = file;
    this.#temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
    this.#serialize = serialize;
  }

  /** Returns the parsed file, or null when it does not exist. Other I/O or parse errors throw. */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return JSON.parse(text) as T;
  }

  write(data: T): Promise<void> {
    if (this.#pending) {
      this.#pending.data = data;
      return this.#pending.promise;
    }
    const pending = { data, promise: Promise.resolve() };
    pending.promise = this.#tail.then(() => {
      this.#pending = null;
      return writeAtomically(this.#file, this.#temp, this.#serialize(pending.data));
    });
    this.#tail = pending.promise.catch(() => undefined);
    this.#pending = pending;
    return pending.promise;
  }

  /** Removes the file and any temporary left by a crash; a missing file is not an error. */
  async remove(): Promise<void> {
    await Promise.all([unlinkIfPresent(this.#file), unlinkIfPresent(this.#temp)]);
  }
}

/** Writes `text` to `file` through `temp` with fsync of the data and of the directory. */
export async function writeAtomically(file: string, temp: string, text: string | Uint8Array): Promise<void> {
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDirectory(path.dirname(file));
}

/** Makes a directory's entries (new, renamed or removed files) durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
