/**
 * Work a capture leaves for after its answer is written: the live announcement (a publish
 * serialises the record and writes to every follower's socket) need not delay the
 * acknowledgement. Everything queued in one turn of the event loop runs in one setImmediate, so a
 * busy server pays for one timer and one tracked promise a turn instead of a few per capture;
 * `inFlight` holds it until it has run, so a graceful shutdown waits for it.
 */
export class AfterAnswers {
  #queued: (() => void)[] = [];
  readonly #inFlight: Set<Promise<void>>;

  constructor(inFlight: Set<Promise<void>>) {
    this.#inFlight = inFlight;
  }

  /** Runs `task` once the answers written in this turn are out; a task that throws is reported, the others still run. */
  queue(task: () => void): void {
    this.#queued.push(task);
    if (this.#queued.length > 1) return; // this turn's setImmediate is already set
    const ran = new Promise<void>((resolve) =>
      setImmediate(() => {
        const tasks = this.#queued;
        this.#queued = [];
        for (const run of tasks) {
          try {
            run();
          } catch (error) {
            console.error('hookscope: a live announcement failed', error);
          }
        }
        resolve();
      }),
    );
    this.#inFlight.add(ran);
    void ran.finally(() => this.#inFlight.delete(ran));
  }
}
