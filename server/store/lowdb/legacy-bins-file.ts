import path from 'node:path';
import { parseStoredBin } from './bin-settings.js';
import { readTextIfPresent } from '../files/durable-file.js';
import { DataDirError } from '../errors.js';
import type { StoredBin } from '../types.js';

/**
 * Versions before per-bin settings files kept every bin's settings in one document,
 * `<data-dir>/bins.json` (`{ "version": 1, "bins": [<bin>, …] }`). It is read once, to migrate
 * (load-bins.ts), then renamed to MIGRATED_BINS_FILE and never read again.
 */
export const LEGACY_BINS_FILE = 'bins.json';
export const MIGRATED_BINS_FILE = 'bins.json.migrated';

/**
 * The bins listed in the data dir's bins.json, or null when there is none. Throws DataDirError
 * when it exists but cannot be read whole: the settings of bins not yet migrated are only there,
 * so hookscope stops rather than guess (nothing has been changed at that point).
 */
export async function readLegacyBins(dataDir: string): Promise<Map<string, StoredBin> | null> {
  const file = path.join(dataDir, LEGACY_BINS_FILE);
  const text = await readTextIfPresent(file);
  if (text === null) return null;
  const unusable = (why: string) =>
    new DataDirError(
      `${file} cannot be read (${why}); nothing was changed. It is the bin list of an older hookscope, whose settings this version moves into each bin's folder: restore it from a backup, or move it aside to start with every bin folder kept (those without their own bin.json as recovered bins with default settings).`,
    );
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw unusable(`it is not valid JSON: ${(error as Error).message}`);
  }
  const bins = (document as { bins?: unknown } | null)?.bins;
  if (!Array.isArray(bins)) throw unusable('"bins" is not a list');
  const listed = new Map<string, StoredBin>();
  for (const [index, entry] of bins.entries()) {
    const bin = parseStoredBin(entry);
    if (typeof bin === 'string') throw unusable(`entry ${index}: ${bin}`);
    listed.set(bin.id, bin);
  }
  return listed;
}
