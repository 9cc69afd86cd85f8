import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isRequestId } from '../../../shared/ids.js';
import { unlinkIfPresent } from '../files/durable-file.js';
import type { FileWriter } from '../files/file-writer.js';
import type { StoredRequest } from '../types.js';

/**
 * Bodies too large to keep inline, one file each (`<requestId>.bin`), written once through the
 * writer thread and deleted with their request. A request id becomes a file name only after it
 * matched the id pattern. The folder is made with the first body: reading a bin changes nothing on disk.
 */
export class BodyFiles {
  #made = false;
  readonly #writer: FileWriter;

  constructor(
    readonly dir: string,
    writer: FileWriter,
  ) {
    this.#writer = writer;
  }

  async write(requestId: string, body: Buffer): Promise<void> {
    const file = this.#path(requestId);
    if (!this.#made) {
      await mkdir(this.dir, { recursive: true });
      this.#made = true;
    }
    return this.#writer.write(file, `${file}.tmp`, body);
  }

  /** The exact body bytes of a request, inline or from its file. */
  async read(record: StoredRequest): Promise<Buffer> {
    if (record.body) return Buffer.from(record.body.data, record.body.encoding);
    return readFile(this.#path(record.id));
  }

  /** Deletes the body files of these requests (a missing file is not an error). */
  async removeIds(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => unlinkIfPresent(this.#path(id))));
  }

  /** Deletes files no live request refers to (left by a crash between two steps), and temp files. */
  async removeOrphans(isLive: (requestId: string) => boolean): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // no body written yet
      throw error;
    }
    this.#made = true;
    const orphans = names.filter((name) => {
      const id = name.endsWith('.bin') ? name.slice(0, -4) : null;
      return !(id !== null && isRequestId(id) && isLive(id));
    });
    await Promise.all(orphans.map((name) => unlinkIfPresent(path.join(this.dir, name))));
  }

  #path(requestId: string): string {
    if (!isRequestId(requestId)) throw new Error(`refusing a body path for malformed request id ${JSON.stringify(requestId)}`);
    return path.join(this.dir, `${requestId}.bin`);
  }
}
