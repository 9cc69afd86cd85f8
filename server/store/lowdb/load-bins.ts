import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isBinId } from '../../../shared/ids.js';
import { createBinFolder, isLeftover, removeLeftover } from './bin-folders.js';
import { readBinSettings, writeBinSettings, type BinSettingsRead } from './bin-settings.js';
import type { FileWriter } from '../files/file-writer.js';
import { LEGACY_BINS_FILE, MIGRATED_BINS_FILE, readLegacyBins } from './legacy-bins-file.js';
import { BIN_SETTING_DEFAULTS, type StoredBin } from '../types.js';

/** Settings files read between two turns of the event loop at start (~4 ms for 256). */
const READ_BATCH = 256;
/** Settings files written at once while migrating or recovering (the writer runs them in order). */
const WRITE_CONCURRENCY = 32;

/**
 * Builds the bin list at start from the bins' own folders (bin-settings.ts) and tidies what a
 * crash or an older version left, without ever deleting a bin's data:
 * - a create or delete cut short by a crash is finished (bin-folders.ts);
 * - a folder whose bin.json cannot be read is kept as it is, reported on one line, not served;
 * - an older version's bins.json is migrated: each bin it lists gets its own bin.json (and a
 *   folder if it had none), durably, then the file is renamed to bins.json.migrated;
 * - a folder with no settings anywhere (bins.json lost, or not listing it) is kept and served
 *   as a recovered bin with default settings, and reported.
 * Throws DataDirError, before anything was changed, when bins.json exists but cannot be read.
 * Folders and files it does not recognise are left alone.
 */
export async function loadBins(dataDir: string, binsDir: string, writer: FileWriter): Promise<Map<string, StoredBin>> {
  const legacy = await readLegacyBins(dataDir);
  const entries = (await readdir(binsDir, { withFileTypes: true })).filter((e) => e.isDirectory());
  await Promise.all(entries.filter((e) => isLeftover(e.name)).map((e) => removeLeftover(path.join(binsDir, e.name))));
  const folders = entries.map((e) => e.name).filter(isBinId);
  const found = new Map<string, BinSettingsRead>();
  for (let i = 0; i < folders.length; i += READ_BATCH) {
    for (const id of folders.slice(i, i + READ_BATCH)) found.set(id, readBinSettings(path.join(binsDir, id), id));
    await new Promise((resolve) => setImmediate(resolve));
  }

  const bins = new Map<string, StoredBin>();
  for (const [id, read] of found) {
    if ('bin' in read) bins.set(id, read.bin);
    else if ('unreadable' in read)
      console.warn(
        `hookscope: ${read.file} cannot be read (${read.unreadable}): bin ${id} is not served and its folder is kept as it is; fix or restore that file, then restart`,
      );
  }
  if (legacy) await migrate(legacy, found, bins, { dataDir, binsDir, writer });
  const unsettled = [...found].filter(([id, read]) => 'missing' in read && !bins.has(id)).map(([id]) => id);
  if (unsettled.length > 0) await recover(unsettled, bins, binsDir, writer);
  return bins;
}

/** Gives every bin listed in an older version's bins.json its own settings file, then retires the file. */
async function migrate(
  legacy: Map<string, StoredBin>,
  found: Map<string, BinSettingsRead>,
  bins: Map<string, StoredBin>,
  at: { dataDir: string; binsDir: string; writer: FileWriter },
): Promise<void> {
  // A folder that already has its settings (a migration cut short) keeps them; an unreadable one is left as it is.
  const pending = [...legacy.values()].filter((bin) => !found.has(bin.id) || 'missing' in found.get(bin.id)!);
  console.log(
    `hookscope: ${LEGACY_BINS_FILE}, the bin list of an older version, is being migrated: ${pending.length} bins get their own settings file (bins/<binId>/bin.json); it is then kept as ${MIGRATED_BINS_FILE} and no longer read`,
  );
  await mapLimit(pending, WRITE_CONCURRENCY, (bin) =>
    found.has(bin.id) ? writeBinSettings(path.join(at.binsDir, bin.id), bin, at.writer) : createBinFolder(at.binsDir, bin, at.writer),
  );
  for (const bin of pending) bins.set(bin.id, bin);
  await at.writer.rename(path.join(at.dataDir, LEGACY_BINS_FILE), path.join(at.dataDir, MIGRATED_BINS_FILE));
}

/** Serves folders that hold a bin's data but no settings as recovered bins, with default settings. */
async function recover(ids: string[], bins: Map<string, StoredBin>, binsDir: string, writer: FileWriter): Promise<void> {
  await mapLimit(ids, WRITE_CONCURRENCY, async (id) => {
    const dir = path.join(binsDir, id);
    const createdAt = (await stat(dir)).mtime.toISOString();
    const bin: StoredBin = { ...BIN_SETTING_DEFAULTS, id, name: 'Recovered bin', token: null, requireToken: false, createdAt };
    await writeBinSettings(dir, bin, writer);
    bins.set(id, bin);
  });
  const named = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ` and ${ids.length - 5} more` : '');
  console.warn(
    `hookscope: ${ids.length} bin folder${ids.length === 1 ? '' : 's'} had no settings (no bin.json, and no ${LEGACY_BINS_FILE} listing them): kept and served as recovered bins with default settings (no token, no forward): ${named}`,
  );
}

/** `task` over `items`, at most `limit` at a time; results in the order of `items`. */
async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
