/**
 * Work that a close waits for: captures, changes made through the API, live announcements,
 * forwards, segment appends, deletions of evicted files. A count, not a set of promises, because
 * a capture's append and its answer are tracked on the hot path: a caller that knows when its work
 * ends (`begin`) adds no promise at all, and `track` adds one.
 */
export class InFlight {
  #count = 0;
  /** What `settled` waits on, made only while somebody waits. */
  #idle: { promise: Promise<void>; resolve: () => void } | null = null;

  /** How many are in flight. */
  get size(): number {
    return this.#count;
  }

  /** Counts one piece of work in; call what it returns when the work has ended (later calls do nothing). */
  begin(): () => void {
    this.#count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#end();
    };
  }

  /** Counts `work` in until it settles. Its outcome stays the caller's: a rejection is not reported here. */
  track(work: Promise<unknown>): void {
    const end = this.begin();
    void work.then(end, end);
  }

  /** Resolves once nothing is in flight, including work begun while it waited. */
  async settled(): Promise<void> {
    while (this.#count > 0) {
      if (!this.#idle) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.#idle = { promise, resolve };
      }
      await this.#idle.promise;
    }
  }

  #end(): void {
    if (--this.#count > 0) return;
    this.#idle?.resolve();
    this.#idle = null;
  }
}
