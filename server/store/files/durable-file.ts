import { copyFile, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import type { FileWriter } from './file-writer.js';

/**
 * A lowdb adapter that makes each write durable and atomic: the text goes to a temporary file,
 * is fsynced, and is renamed over the target (then the directory is fsynced so the rename
 * itself survives a power cut), all done by a FileWriter. A process killed at any moment leaves
 * either the old or the new file, never a torn one.
 *
 * The data is serialised when write() is called and handed to the writer at once: the writer
 * runs jobs in order, so writes land in call order and a caller can post the next write before
 * the previous one is durable. `serialize` lets callers reuse cached pieces of large data.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly #file: string;
  readonly #temp: string;
  readonly #serialize: (data: T) => string;
  readonly #writer: FileWriter;

  constructor(file: string, writer: FileWriter, serialize: (data: T) => string = (data) => JSON.stringify(data)) {
    this.#file = file;
    this.#temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
    this.#serialize = serialize;
    this.#writer = writer;
  }

  /** Returns the parsed file, or null when it does not exist. Other I/O or parse errors throw. */
  async read(): Promise<T | null> {
    const text = await readTextIfPresent(this.#file);
    return text === null ? null : (JSON.parse(text) as T);
  }

  write(data: T): Promise<void> {
    return this.#writer.write(this.#file, this.#temp, this.#serialize(data));
  }

  /** Removes the file and any temporary left by a crash; a missing file is not an error. */
  async remove(): Promise<void> {
    await Promise.all([unlinkIfPresent(this.#file), unlinkIfPresent(this.#temp)]);
  }
}

/** A file's text, or null when it does not exist (lowdb's rule: a missing file is empty data). */
export async function readTextIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Copies `from` to `to` and fsyncs the copy (its directory entry is the caller's to sync). */
export async function copyDurably(from: string, to: string): Promise<void> {
  await copyFile(from, to);
  const handle = await open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
