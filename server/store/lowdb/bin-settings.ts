import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isBinId } from '../../../shared/ids.js';
import { DurableJsonFile } from '../files/durable-file.js';
import type { FileWriter } from '../files/file-writer.js';
import { BIN_SETTING_DEFAULTS, type StoredBin } from '../types.js';

/**
 * Each bin's folder carries its own settings, `bins/<binId>/bin.json`, replaced atomically and
 * durably on every change (DurableJsonFile). The bin list is rebuilt from these files at start,
 * so no index can make the store forget, or delete, a bin; and changing one bin writes one
 * small file, whatever the number of bins.
 */
export const BIN_SETTINGS_FILE = 'bin.json';

interface BinSettingsDocument {
  version: 1;
  bin: StoredBin;
}

/** What a bin folder's settings file holds: the bin, nothing (no file), or why it cannot be used. */
export type BinSettingsRead = { bin: StoredBin } | { missing: true } | { unreadable: string; file: string };

/** Writes the settings of the bin whose folder is `dir`; resolves once they are durable. */
export function writeBinSettings(dir: string, bin: StoredBin, writer: FileWriter): Promise<void> {
  return new DurableJsonFile<BinSettingsDocument>(path.join(dir, BIN_SETTINGS_FILE), writer).write({ version: 1, bin });
}

/**
 * Reads the settings in the folder `dir` of bin `binId`. Never throws: an I/O error makes the
 * file unreadable. Synchronous on purpose: start-up reads thousands of these small files, in
 * batches between which the event loop runs (load-bins.ts); a promise per file was 6× slower.
 */
export function readBinSettings(dir: string, binId: string): BinSettingsRead {
  const file = path.join(dir, BIN_SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { unreadable: (error as Error).message, file };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { unreadable: 'it is not valid JSON', file };
  }
  const bin = parseStoredBin((document as { bin?: unknown } | null)?.bin);
  if (typeof bin === 'string') return { unreadable: bin, file };
  if (bin.id !== binId) return { unreadable: `it holds the settings of bin ${bin.id}, not of its folder's`, file };
  return { bin };
}

/**
 * A bin's settings from parsed JSON (a bin.json, or an entry of an older version's bins.json),
 * with defaults for settings added since; a string saying what is wrong when they cannot be used.
 */
export function parseStoredBin(value: unknown): StoredBin | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the bin is not a JSON object';
  const bin = value as Record<string, unknown>;
  if (!isBinId(bin.id)) return 'the bin has no valid "id"';
  if (typeof bin.name !== 'string' || typeof bin.createdAt !== 'string') return `bin ${bin.id} has no "name" or "createdAt" text`;
  if (typeof bin.requireToken !== 'boolean' || !(bin.token === null || typeof bin.token === 'string'))
    return `bin ${bin.id} has no valid "token" and "requireToken"`;
  return { ...BIN_SETTING_DEFAULTS, ...(bin as unknown as StoredBin) };
}
