import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { isRequestId } from '../../shared/ids.js';
import { unlinkIfPresent } from './durable-file.js';
import type { FileWriter } from './file-writer.js';
import type { StoredRequest } from './types.js';

/**
 * Bodies too large to keep inline, one file each (`<requestId>.bin`), written once through the
 * writer thread and deleted with their request. A request id becomes a file name only after it
 * matched the id pattern.
 */
export class BodyFiles {
  constructor(
    readonly dir: string,
    private readonly writer: FileWriter,
  ) {}

  write(requestId: string, body: Buffer): Promise<void> {
    const file = this.#path(requestId);
    return this.writer.write(file, `${file}.tmp`, body);
  }

  /** The exact body bytes of a request, inline or from its file. */
  async read(record: StoredRequest): Promise<Buffer> {
    if (record.body) return Buffer.from(record.body.data, record.body.encoding);
    return readFile(this.#path(record.id));
  }

  /** Deletes the files of those of `records` that have one. */
  async remove(records: readonly StoredRequest[]): Promise<void> {
    await Promise.all(records.filter((r) => !r.body).map((r) => unlinkIfPresent(this.#path(r.id))));
  }

  async removeAll(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }

  /** Deletes files no live request refers to (left by a crash between two steps), and temp files. */
  async removeOrphans(isLive: (requestId: string) => boolean): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = await readdir(this.dir);
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
