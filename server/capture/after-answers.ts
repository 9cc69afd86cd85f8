import type { InFlight } from '../in-flight.js';

/**
 * Work a capture leaves for after its answer is written: the live announcement (a publish
 * serialises the record and writes to every follower's socket) need not delay the
 * acknowledgement. Everything queued in one turn of the event loop runs in one setImmediate, so a
 * busy server pays for one timer a turn instead of a few per capture; `inFlight` counts it until
 * it has run, so a graceful shutdown waits for it.
 */
export class AfterAnswers {
  #queued: (() => void)[] = [];
  readonly #inFlight: InFlight;

  constructor(inFlight: InFlight) {
    this.#inFlight = inFlight;
  }

  /** Runs `task` once the answers written in this turn are out; a task that throws is reported, the others still run. */
  queue(task: () => void): void {
    this.#queued.push(task);
    if (this.#queued.length > 1) return; // this turn's setImmediate is already set
    const end = this.#inFlight.begin();
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
      end();
    });
  }
}
