import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { isBinId } from '../../../shared/ids.js';
import { writeBinSettings } from './bin-settings.js';
import type { FileWriter } from '../files/file-writer.js';
import type { StoredBin } from '../types.js';

/**
 * How a bin's folder `bins/<binId>/` comes and goes, so that a crash at any moment leaves either
 * the bin whole or no bin, and nothing in between that start-up would have to guess about:
 * - created in `bins/<binId>.creating/` and renamed into place once its settings are durable
 *   (a leftover `.creating` folder is a create that was never acknowledged);
 * - deleted by renaming it to `bins/<binId>.deleted-<time>/` (durably: that name is the
 *   tombstone), then removing that (a leftover `.deleted-` folder is a delete already acknowledged).
 * Start-up removes both kinds of leftover (isLeftover) and never anything else.
 */
const LEFTOVER_SUFFIX = /^\.(creating|deleted-[0-9a-z]+)$/;

/** True for the name of a folder a crash left between two steps of a create or a delete (above). */
export function isLeftover(name: string): boolean {
  const dot = name.indexOf('.');
  return dot > 0 && isBinId(name.slice(0, dot)) && LEFTOVER_SUFFIX.test(name.slice(dot));
}

/** Creates the bin's folder with its settings and its empty log folders; resolves once they are durable. */
export async function createBinFolder(binsDir: string, bin: StoredBin, writer: FileWriter): Promise<void> {
  const staging = path.join(binsDir, `${bin.id}.creating`);
  try {
    await mkdir(path.join(staging, 'segments'), { recursive: true });
    await mkdir(path.join(staging, 'bodies'), { recursive: true });
    await writeBinSettings(staging, bin, writer);
    await writer.rename(staging, path.join(binsDir, bin.id));
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Deletes the bin's folder: renames it to its tombstone (durable when this resolves: the bin
 * stays deleted whatever happens next), then removes the files. A folder that is already gone
 * is not an error. The bin's log must be closed first (the writer keeps descriptors open).
 */
export async function removeBinFolder(binsDir: string, binId: string, writer: FileWriter): Promise<void> {
  const tombstone = path.join(binsDir, `${binId}.deleted-${Date.now().toString(36)}`);
  try {
    await writer.rename(path.join(binsDir, binId), tombstone);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await removeLeftover(tombstone);
}

/** Removes a leftover folder; a failure is logged (the next start tries again), not thrown. */
export async function removeLeftover(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch (error) {
    console.error(`hookscope: could not remove ${dir} (it is removed at the next start): ${(error as Error).message}`);
  }
}
