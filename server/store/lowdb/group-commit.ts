/** An item waiting for a group commit, with how to tell its caller the outcome (`R`, what the commit says of it). */
export interface Queued<T, R = void> {
  item: T;
  resolve: (outcome: R) => void;
  reject: (error: unknown) => void;
}

/**
 * The write discipline of one bin's log: every write runs alone, in call order (`exclusive`),
 * and appends are group-committed: those queued while a write is on its way go together into
 * the next one, so a busy bin makes fewer, larger writes (measured: one write in flight gives the
 * largest batches and the least CPU per request; BENCH.md). What a commit writes, and how it
 * settles each item, is the caller's (`commit`).
 */
export class GroupCommit<T, R = void> {
  #lock: Promise<unknown> = Promise.resolve();
  #queue: Queued<T, R>[] = [];
  #scheduled = false;
  readonly #commit: (batch: Queued<T, R>[]) => Promise<void>;

  constructor(commit: (batch: Queued<T, R>[]) => Promise<void>) {
    this.#commit = commit;
  }

  /** Items waiting for their commit. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues `item` for the next commit; settles as the commit settles it. */
  enqueue(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Runs `task` alone: after every write asked before it, before every write asked after it. */
  exclusive<R>(task: () => Promise<R>): Promise<R> {
    const run = this.#lock.then(task);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every write asked so far has finished. */
  async flush(): Promise<void> {
    while (this.#queue.length > 0 || this.#scheduled) {
      this.#schedule();
      await this.#lock;
    }
    await this.#lock;
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0) return;
    this.#scheduled = true;
    void this.exclusive(async () => {
      this.#scheduled = false;
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#commit(batch);
      } catch (error) {
        for (const q of batch) q.reject(error); // a commit that throws fails its whole batch
      }
      this.#schedule();
    });
  }
}
