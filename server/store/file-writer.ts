import { Worker } from 'node:worker_threads';

/**
 * Durable, atomic file writes done on a dedicated worker thread.
 *
 * A durable write is a chain of blocking calls (open, write, fsync, close, rename, fsync of the
 * directory). Issued as separate async calls, each one hops through libuv's thread pool and
 * back through the event loop; under load those hops, not the disk, made commits slow. The
 * worker runs the whole chain with synchronous calls in one go, so the event loop stays free
 * for requests and a commit costs one message each way.
 *
 * Jobs run one at a time, in the order they were given.
 */
export class FileWriter {
  #worker: Worker | null = null;
  #nextId = 1;
  #waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  /** Settles when the newest write has (jobs finish in order, so then all have). */
  #last: Promise<unknown> = Promise.resolve();

  /** Replaces `file` with `data` (via `temp`), durably. Rejects with the I/O error's message and code. */
  write(file: string, temp: string, data: string | Uint8Array): Promise<void> {
    return this.#post({ kind: 'replace', file, temp, data });
  }

  /** Renames a file or directory (same file system) and fsyncs the directory, so the new name survives a crash. */
  rename(from: string, to: string): Promise<void> {
    return this.#post({ kind: 'rename', file: from, to, data: '' });
  }

  #post(job: { kind: 'replace' | 'append' | 'release' | 'rename'; file: string; temp?: string; to?: string; data: string | Uint8Array }): Promise<void> {
    const id = this.#nextId++;
    const worker = this.#ensureWorker();
    const done = new Promise<void>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.ref(); // pending writes keep the process alive
      worker.postMessage({ id, ...job });
    });
    this.#last = done.catch(() => undefined);
    return done;
  }

  /**
   * Appends `data` to `file` (creating it) and fsyncs it; a new file's directory entry is
   * fsynced too. A crash mid-append can leave a torn last line, never a torn earlier one.
   */
  append(file: string, data: string | Uint8Array): Promise<void> {
    return this.#post({ kind: 'append', file, data });
  }

  /** Closes the writer's descriptor of `file` (before it is deleted), after the writes before it. */
  release(file: string): Promise<void> {
    return this.#post({ kind: 'release', file, data: '' });
  }

  /** Stops the worker once every write given so far has finished. */
  async close(): Promise<void> {
    await this.#last;
    await this.#worker?.terminate();
    this.#worker = null;
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WRITER_THREAD_SOURCE, { eval: true });
    worker.on('message', (message: { id: number; error?: { message: string; code?: string } }) => {
      const waiter = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      if (this.#waiting.size === 0) worker.unref(); // an idle writer must not keep the process alive
      if (message.error) waiter?.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else waiter?.resolve();
    });
    worker.on('error', (error) => {
      for (const waiter of this.#waiting.values()) waiter.reject(error);
      this.#waiting.clear();
      this.#worker = null;
    });
    this.#worker = worker;
    return worker;
  }
}

/**
 * The worker's code, as plain JavaScript source evaluated as a CommonJS script. It is kept as
 * text (not a function turned into text) so that no transpiler can slip helpers into it.
 * Jobs: 'replace' writes a temp file, fsyncs, renames it over the target and fsyncs the
 * directory; 'append' appends and fsyncs (and fsyncs the directory when it created the file).
 */
const WRITER_THREAD_SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const { parentPort } = require('node:worker_threads');

function writeSynced(file, flags, data) {
  const fd = fs.openSync(file, flags);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDirectoryOf(file) {
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

// Appends go to files kept open (the newest segment gets one append per commit): no open and
// close per commit, and fdatasync, which syncs the data and the size but not the timestamps.
const appendFds = new Map();
function appendSynced(file, data) {
  let fd = appendFds.get(file);
  if (fd === undefined) {
    const existed = fs.existsSync(file);
    fd = fs.openSync(file, 'a');
    if (!existed) syncDirectoryOf(file);
    appendFds.set(file, fd);
    if (appendFds.size > 32) {
      const [oldest, oldFd] = appendFds.entries().next().value;
      appendFds.delete(oldest);
      fs.closeSync(oldFd);
    }
  }
  fs.writeFileSync(fd, data);
  fs.fdatasyncSync(fd);
}
function forget(file) {
  const fd = appendFds.get(file);
  if (fd !== undefined) {
    appendFds.delete(file);
    fs.closeSync(fd);
  }
}

parentPort.on('message', (job) => {
  try {
    if (job.kind === 'append') {
      appendSynced(job.file, job.data);
    } else if (job.kind === 'rename') {
      fs.renameSync(job.file, job.to);
      syncDirectoryOf(job.to);
    } else if (job.kind === 'release') {
      forget(job.file);
    } else {
      forget(job.file); // replaced: an open descriptor would point at the old file
      writeSynced(job.temp, 'w', job.data);
      fs.renameSync(job.temp, job.file);
      syncDirectoryOf(job.file);
    }
    parentPort.postMessage({ id: job.id });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: { message: error.message, code: error.code } });
  }
});
`;
