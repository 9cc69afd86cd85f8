import { Worker } from 'node:worker_threads';
import { DiskFullError, diskFullOr } from '../errors.js';
import { FileAppender, syncDirectory } from './file-appender.js';
import { WRITER_THREAD_SOURCE } from './file-writer-thread.js';
import { InFlight } from '../../in-flight.js';

/** What a failed write rejects with, besides the message and the I/O error's code. */
export interface WriteFailure extends Error {
  /** True when the failed write left the file exactly as it was before (see file-writer-thread.ts). */
  rolledBack?: boolean;
}

type Job =
  | { kind: 'replace'; file: string; temp: string; data: string | Uint8Array }
  | { kind: 'rename'; file: string; to: string }
  | { kind: 'fault'; code: string | null };

/**
 * Durable, atomic file writes done on a dedicated worker thread.
 *
 * A durable write is a chain of blocking calls (open, write, fsync, close, rename, fsync of the
 * directory). Issued as separate async calls, each one hops through libuv's thread pool and
 * back through the event loop; under load those hops, not the disk, made commits slow. The
 * worker runs the whole chain with synchronous calls in one go, so the event loop stays free
 * for requests and a commit costs one message each way.
 *
 * Jobs run one at a time, in the order they were given (file-writer-thread.ts). A write that
 * fails leaves the file as it was; one that fails for lack of space rejects with DiskFullError
 * (503 with Retry-After), and the first such failure, and the first success after, are logged.
 */
export class FileWriter {
  #worker: Worker | null = null;
  #nextId = 1;
  /** Jobs posted and not answered yet; `file` names what a write was for (in the disk-full log line). */
  #waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void; writes: boolean; file?: string }>();
  /** The last write failed for lack of space (logged once, until a write succeeds again). */
  #diskFull = false;
  /** Settles when the newest job has (jobs finish in order, so then all have). */
  #last: Promise<unknown> = Promise.resolve();
  /** Segment appends, done from the main thread (file-appender.ts). */
  readonly #appender = new FileAppender();
  /** Appends not settled yet: close waits for them. */
  readonly #appending = new InFlight();

  /** Replaces `file` with `data` (via `temp`), durably. Rejects with the I/O error's message and code (a WriteFailure). */
  write(file: string, temp: string, data: string | Uint8Array): Promise<void> {
    return this.#post({ kind: 'replace', file, temp, data });
  }

  /** Renames a file or directory (same file system) and fsyncs the directory, so the new name survives a crash. */
  rename(from: string, to: string): Promise<void> {
    return this.#post({ kind: 'rename', file: from, to });
  }

  /**
   * For tests: from now on every write fails as a full disk does (half the data written, then
   * the error `code`, e.g. 'ENOSPC'); null makes writes work again. Ordered with other jobs.
   */
  async injectFault(code: string | null): Promise<void> {
    await this.#post({ kind: 'fault', code });
    this.#appender.fault = code;
  }

  /**
   * Appends `data` to `file` (creating it), durably; a new file's directory entry is made
   * durable too. A crash mid-append can leave a torn last line, never a torn earlier one. A
   * failed append leaves the file as it was when it can (WriteFailure.rolledBack). Appends to
   * one file must not overlap; they run beside the writer thread's jobs, not in their order.
   */
  append(file: string, data: string | Uint8Array): Promise<void> {
    const end = this.#appending.begin();
    return this.#appender.append(file, data).then(
      () => {
        end();
        this.#noteSuccess();
      },
      (error: Error & { code?: string; rolledBack?: boolean }) => {
        end();
        throw this.#failure(file, { message: error.message, code: error.code, rolledBack: error.rolledBack === true });
      },
    );
  }

  /** Makes a directory's entries durable (after a file in it was removed, say). */
  syncDirectory(dir: string): Promise<void> {
    return syncDirectory(dir);
  }

  /** Closes the descriptor kept for appends to `file` (before it is deleted). */
  release(file: string): Promise<void> {
    return this.#appender.release(file);
  }

  #post(job: Job): Promise<void> {
    const id = this.#nextId++;
    const worker = this.#ensureWorker();
    const done = new Promise<void>((resolve, reject) => {
      const writes = job.kind === 'replace' || job.kind === 'rename';
      this.#waiting.set(id, { resolve, reject, writes, file: writes ? job.file : undefined });
      worker.ref(); // pending writes keep the process alive
      worker.postMessage({ id, ...job });
    });
    this.#last = done.catch(() => undefined);
    return done;
  }

  /** Stops the worker once every write given so far has finished. */
  async close(): Promise<void> {
    await this.#last;
    await this.#appending.settled();
    await this.#appender.close();
    await this.#worker?.terminate();
    this.#worker = null;
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WRITER_THREAD_SOURCE, { eval: true });
    worker.on('message', (message: { id: number; error?: { message: string; code?: string; rolledBack: boolean } }) => {
      const waiter = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      if (this.#waiting.size === 0) worker.unref(); // an idle writer must not keep the process alive
      if (!waiter) return;
      if (message.error) waiter.reject(this.#failure(waiter.file, message.error));
      else {
        if (waiter.writes) this.#noteSuccess();
        waiter.resolve();
      }
    });
    worker.on('error', (error) => {
      for (const waiter of this.#waiting.values()) waiter.reject(error);
      this.#waiting.clear();
      this.#worker = null;
    });
    this.#worker = worker;
    return worker;
  }

  #failure(file: string | undefined, { message, code, rolledBack }: { message: string; code?: string; rolledBack: boolean }): WriteFailure {
    const error = diskFullOr(Object.assign(new Error(message), { code, rolledBack }));
    if (!(error instanceof DiskFullError)) return error as WriteFailure;
    if (!this.#diskFull)
      console.error(
        `hookscope: the disk is full (${code}${file ? ` writing ${file}` : ''}): captures and changes get 503 with Retry-After until space is freed`,
      );
    this.#diskFull = true;
    return Object.assign(error, { rolledBack });
  }

  #noteSuccess(): void {
    if (!this.#diskFull) return;
    this.#diskFull = false;
    console.error('hookscope: writes succeed again (the disk has room): captures are stored as usual');
  }
}
