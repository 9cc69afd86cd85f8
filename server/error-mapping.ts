import { binNotFound, HttpError } from './http-error.js';
import { BinGoneError, DiskFullError, STORE_RETRY_AFTER_SECONDS, StorageError } from './store/errors.js';

/**
 * What a storage error looks like to a client: its status, code and `Retry-After`. The store
 * throws its own errors, unaware of HTTP; the API's error middleware and the capture path
 * (which answers before Koa) both ask here, so a 503 reads the same on either.
 */
export function storageHttpError(error: StorageError): HttpError {
  const retryAfter = { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) };
  if (error instanceof BinGoneError) return binNotFound(error.binId);
  if (error instanceof DiskFullError) return new HttpError(503, 'disk_full', error.message, retryAfter);
  return new HttpError(503, 'store_unavailable', error.message, retryAfter); // StoreUnavailableError
}

/**
 * The client-facing form of a thrown error: an HttpError as it is, a storage error as
 * storageHttpError says; null for anything else (unexpected: the caller logs it and answers 500).
 */
export function toHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof StorageError) return storageHttpError(error);
  return null;
}
