import path from 'node:path';
import { isBinId } from '../../../shared/ids.js';
import { DurableJsonFile, readTextIfPresent, unlinkIfPresent } from '../files/durable-file.js';
import type { FileWriter } from '../files/file-writer.js';
import type { BinUsage } from '../usage.js';

/**
 * Every bin's usage as it was when the store last closed cleanly (`<data dir>/usage.json`), so
 * the first listing after a restart reads no log at all. It is true only until the next write,
 * so it is taken (read, then deleted, durably) when the store opens: after a crash there is none,
 * and usage is read from the end of each bin's newest segment instead (segment-files.ts).
 */
const FILE = 'usage.json';

interface Snapshot {
  version: 1;
  bins: Record<string, [count: number, dataSize: number, oldestAt: string | null, newestAt: string | null]>;
}

/** Reads and removes the snapshot; an empty map when there is none or it cannot be read. */
export async function takeUsageSnapshot(dataDir: string, writer: FileWriter): Promise<Map<string, BinUsage>> {
  const file = path.join(dataDir, FILE);
  const text = await readTextIfPresent(file).catch(() => null);
  const usages = new Map<string, BinUsage>();
  if (text === null) return usages;
  try {
    const bins = (JSON.parse(text) as Partial<Snapshot>).bins ?? {};
    for (const [id, value] of Object.entries(bins)) {
      if (!isBinId(id) || !Array.isArray(value) || value.length !== 4) continue;
      const [count, dataSize, oldestAt, newestAt] = value;
      if (!Number.isSafeInteger(count) || !Number.isSafeInteger(dataSize)) continue;
      usages.set(id, { count, dataSize, oldestAt: typeof oldestAt === 'string' ? oldestAt : null, newestAt: typeof newestAt === 'string' ? newestAt : null });
    }
  } catch {
    usages.clear(); // unreadable: every bin's usage is read from its log instead
  }
  await unlinkIfPresent(file);
  await writer.syncDirectory(dataDir); // gone for good before anything is written
  return usages;
}

/** Writes the usage of the bins given (called once the store's logs are closed). */
export async function writeUsageSnapshot(dataDir: string, usages: ReadonlyMap<string, BinUsage>, writer: FileWriter): Promise<void> {
  const bins: Snapshot['bins'] = Object.create(null);
  for (const [id, u] of usages) bins[id] = [u.count, u.dataSize, u.oldestAt, u.newestAt];
  await new DurableJsonFile<Snapshot>(path.join(dataDir, FILE), writer).write({ version: 1, bins });
}
