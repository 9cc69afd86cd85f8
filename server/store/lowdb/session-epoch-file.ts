import path from 'node:path';
import { DurableJsonFile, readTextIfPresent } from '../files/durable-file.js';
import type { FileWriter } from '../files/file-writer.js';
import { newSessionEpoch } from '../session-epoch.js';

interface EpochFile {
  version: 1;
  epoch: string;
}

const EPOCH = /^[\w-]{16,64}$/;

/**
 * The embedded store's session epoch (Store.sessionEpoch), in `<data dir>/session.json`. A
 * missing or unreadable file gets a new epoch: that logs everyone out, which is safe, whereas
 * going back to an older epoch could make revoked cookies valid again.
 */
export class SessionEpochFile {
  readonly #file: DurableJsonFile<EpochFile>;
  readonly #path: string;
  #epoch: Promise<string> | null = null;

  constructor(dataDir: string, writer: FileWriter) {
    this.#path = path.join(dataDir, 'session.json');
    this.#file = new DurableJsonFile(this.#path, writer);
  }

  current(): Promise<string> {
    this.#epoch ??= this.#load().catch((error) => {
      this.#epoch = null; // try again next time (e.g. the disk was full)
      throw error;
    });
    return this.#epoch;
  }

  async bump(): Promise<string> {
    const epoch = newSessionEpoch();
    await this.#file.write({ version: 1, epoch });
    this.#epoch = Promise.resolve(epoch);
    return epoch;
  }

  async #load(): Promise<string> {
    const stored = parseEpoch(await readTextIfPresent(this.#path).catch(() => null));
    if (stored !== null) return stored;
    const epoch = newSessionEpoch();
    await this.#file.write({ version: 1, epoch });
    return epoch;
  }
}

function parseEpoch(text: string | null): string | null {
  if (text === null) return null;
  try {
    const epoch = (JSON.parse(text) as Partial<EpochFile> | null)?.epoch;
    return typeof epoch === 'string' && EPOCH.test(epoch) ? epoch : null;
  } catch {
    return null;
  }
}
