import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { DataDirError, DiskFullError } from '../errors.js';

/** Creates the data dir and its `bins/` if need be and checks that both can be read and written. */
export async function prepareDataDir(dataDir: string, binsDir: string): Promise<void> {
  await mkdir(binsDir, { recursive: true });
  for (const dir of [dataDir, binsDir]) await access(dir, constants.R_OK | constants.W_OK | constants.X_OK);
}

/**
 * Turns an I/O error met while opening the data dir into a one-line DataDirError naming what
 * failed and what to do; other errors (bugs) are returned as they are, with their stack.
 */
export function asDataDirError(dataDir: string, error: unknown): unknown {
  if (error instanceof DataDirError) return error;
  if (error instanceof DiskFullError)
    return new DataDirError(`the disk that holds the data dir ${dataDir} is full (${error.errno}); free some space and start again. Nothing was deleted.`);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error;
  const message = (error as Error).message.replace(/\s+/g, ' ');
  return new DataDirError(
    `cannot use the data dir ${dataDir} (${message}): make it a directory hookscope can read and write, or pick another with --data-dir. Nothing was deleted.`,
  );
}
