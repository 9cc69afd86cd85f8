import { binNotFoundMessage } from '../http-error.js';

/** Seconds a client is asked to wait (Retry-After) when the store cannot be reached. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * A failure of the store that its callers expect and may tell the client about; its message is
 * written for the user. Storage knows nothing of HTTP: server/error-mapping.ts turns each into its
 * status and code, for the API's error middleware and the capture path alike.
 */
export abstract class StorageError extends Error {}

/**
 * The store cannot be reached right now (a shared store such as Redis is down or unreachable);
 * nothing was read or written. The capture path and the API answer `503` with `Retry-After` and
 * `{ error: { code: 'store_unavailable' } }` without knowing which store is in use; the live
 * push tells its sockets in-band.
 */
export class StoreUnavailableError extends StorageError {
  constructor(cause?: unknown) {
    super(
      `hookscope cannot reach its store (Redis) right now, so nothing was recorded or changed. Retry in ${STORE_RETRY_AFTER_SECONDS} seconds; service resumes by itself when the store is back.`,
    );
    this.name = 'StoreUnavailableError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** The bin was deleted (possibly by another instance sharing the store) while a request for it was being stored. */
export class BinGoneError extends StorageError {
  constructor(readonly binId: string) {
    super(binNotFoundMessage(binId));
    this.name = 'BinGoneError';
  }
}

/**
 * The disk holding the data dir is full (ENOSPC, or EDQUOT: a quota); nothing was written, the
 * file is as it was. Like StoreUnavailableError it answers `503` with `Retry-After`, on the
 * capture path and the API alike; writes work again, at normal speed, as soon as space is freed.
 */
export class DiskFullError extends StorageError {
  constructor(readonly errno: string) {
    super(
      `The disk that holds hookscope's data (--data-dir) is full, so nothing was recorded or changed. Retry in ${STORE_RETRY_AFTER_SECONDS} seconds; hookscope resumes by itself once space is freed.`,
    );
    this.name = 'DiskFullError';
  }
}

/** Codes of I/O errors that mean "no room to write": a full disk, or a quota reached. */
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/** `error` as a DiskFullError when it is an I/O error for lack of space; otherwise `error` itself. */
export function diskFullOr(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && DISK_FULL_CODES.has(code) && !(error instanceof DiskFullError)
    ? Object.assign(new DiskFullError(code), { cause: error })
    : error;
}

/**
 * The data dir cannot be used as it is (a file hookscope cannot read, a directory it cannot
 * write); thrown at start-up before anything was changed. The message is one line naming the
 * file and what to do: the command prints it and exits 2, as for a bad option.
 */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}
