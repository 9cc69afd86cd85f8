import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SkippedCheck } from '../../shared/checks/types.js';
import { WORKER_READY, type WorkerJob, type WorkerReply, type WorkerRequest, type WorkerResults } from './worker-protocol.js';

export interface CheckPoolOptions {
  /** Worker threads. */
  workers: number;
  /** Time a job may take from being asked for, waiting for a worker included; then it is given up and its worker stopped. */
  budgetMs: number;
  /**
   * Heap one worker may use, in MB. Bodies longer than a 32nd of it are not parsed for the checks
   * ('too_large'): V8 aborts the whole process, not just the worker, when one large allocation
   * (a big object's property table) fails, so the limit must not be reached, only guarded.
   */
  maxHeapMb: number;
  /**
   * Time the compile of a schema larger than LARGE_SCHEMA_BYTES may take (a provider's whole
   * schema: seconds of ajv work, once per worker, off the event loop); smaller ones get budgetMs.
   */
  compileBudgetMs?: number;
}

/** Schemas larger than this (as JSON text) compile within compileBudgetMs, not budgetMs. */
export const LARGE_SCHEMA_BYTES = 256 * 1024;

/** Heap a parsed JSON value takes per byte of its text, at worst (measured: ~21 for `[{},{},…]`), with room for the parse itself. */
const HEAP_PER_TEXT_BYTE = 32;

export const CHECK_POOL_DEFAULTS: CheckPoolOptions = Object.freeze({ workers: 2, budgetMs: 5000, maxHeapMb: 512, compileBudgetMs: 60_000 });

/** A job's outcome: its result, or why there is none (see SkippedCheck; `why` is a clause, e.g. "it did not finish within 5 s"). */
export type PoolOutcome<T> = { ok: true; value: T } | { ok: false; reason: SkippedCheck['reason']; why: string };

interface Pending {
  request: WorkerRequest;
  resolve: (outcome: PoolOutcome<never>) => void;
  timer: NodeJS.Timeout;
  budgetMs: number;
  /** The schema hash the job runs with: once it succeeds, its worker holds that schema compiled. */
  affinity?: string;
}

interface Slot {
  worker: Worker | null;
  /** The worker has loaded its code (see WORKER_READY). */
  ready: boolean;
  queue: Pending[];
  running: Pending | null;
  /** Hashes of the schemas this slot's current worker has compiled (a new worker starts empty). */
  compiled: Set<string>;
}

/**
 * Worker threads for what can take long on a hostile payload: custom schemas (compiling one can
 * take seconds, and some keywords, e.g. uniqueItems over many objects, are quadratic) and large
 * bodies (parsing megabytes of JSON). The main thread keeps small bodies with the built-in
 * schemas: posting every request to a worker costs more than those checks (BENCH.md).
 *
 * Each worker runs one job at a time from its own queue. A job that names an `affinity` (a
 * schema's hash) always goes to the same worker, whose cache then holds that schema compiled;
 * others go to the least busy worker. A job gets `budgetMs` from when it is asked for, waiting
 * included (a worker's start-up excepted): past it, it is given up ('too_slow'), and if it was
 * running its worker is stopped and replaced. Workers start on first use and do not keep the
 * process alive while idle.
 */
export class CheckPool {
  readonly #slots: Slot[];
  #nextId = 1;
  #closed = false;
  #compiles = 0;
  readonly #options: CheckPoolOptions;

  constructor(options: CheckPoolOptions = CHECK_POOL_DEFAULTS) {
    this.#options = options;
    this.#slots = Array.from({ length: Math.max(1, options.workers) }, () => ({
      worker: null,
      ready: false,
      queue: [],
      running: null,
      compiled: new Set<string>(),
    }));
  }

  /**
   * Runs a job on a worker. Never rejects: a job that times out, runs out of memory or fails
   * resolves with ok: false and why. A check with a custom schema its worker does not hold
   * compiled (a new worker, after one was stopped) is preceded by that schema's compile, with
   * the compile's own budget, so a large schema's compile never eats a check's budget.
   */
  async run<K extends WorkerJob['kind']>(job: Extract<WorkerJob, { kind: K }>, affinity?: string): Promise<PoolOutcome<WorkerResults[K]>> {
    if (this.#closed) return { ok: false, reason: 'failed', why: 'the server is stopping' };
    const slot = affinity === undefined ? this.#leastBusy() : this.#slots[parseInt(affinity.slice(0, 8), 16) % this.#slots.length]!;
    const asked = job as WorkerJob;
    if (asked.kind === 'check' && affinity !== undefined && typeof asked.job.choice === 'object' && !slot.compiled.has(affinity)) {
      const compiled = await this.#enqueue(slot, { kind: 'compile', source: asked.job.choice.custom }, affinity);
      if (!compiled.ok) return compiled;
    }
    return this.#enqueue(slot, job, affinity);
  }

  #enqueue<K extends WorkerJob['kind']>(slot: Slot, job: Extract<WorkerJob, { kind: K }>, affinity?: string): Promise<PoolOutcome<WorkerResults[K]>> {
    const asked = job as WorkerJob;
    const large = asked.kind === 'compile' && asked.source.text.length > LARGE_SCHEMA_BYTES;
    const budgetMs = large ? Math.max(this.#options.budgetMs, this.#options.compileBudgetMs ?? 0) : this.#options.budgetMs;
    return new Promise((resolve) => {
      const pending: Pending = {
        request: { id: this.#nextId++, ...job },
        resolve: resolve as Pending['resolve'],
        budgetMs,
        ...(affinity !== undefined ? { affinity } : {}),
        timer: setTimeout(() => this.#expire(slot, pending), budgetMs),
      };
      slot.queue.push(pending);
      this.#pump(slot);
    });
  }

  /** The longest body a check worker parses (see CheckPoolOptions.maxHeapMb). */
  get maxParseBytes(): number {
    return Math.floor((this.#options.maxHeapMb * 1024 * 1024) / HEAP_PER_TEXT_BYTE);
  }

  /** Custom schemas compiled by the workers so far (each is compiled once per worker that runs it, while cached). */
  get compiles(): number {
    return this.#compiles;
  }

  /** Stops every worker; jobs still waiting resolve as skipped. */
  async close(): Promise<void> {
    this.#closed = true;
    const workers: Worker[] = [];
    for (const slot of this.#slots) {
      for (const pending of [...slot.queue, ...(slot.running ? [slot.running] : [])])
        this.#settle(pending, { ok: false, reason: 'failed', why: 'the server is stopping' });
      slot.queue = [];
      slot.running = null;
      if (slot.worker) workers.push(slot.worker);
      slot.worker = null;
    }
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #leastBusy(): Slot {
    const load = (slot: Slot) => slot.queue.length + (slot.running ? 1 : 0);
    return this.#slots.reduce((best, slot) => (load(slot) < load(best) ? slot : best));
  }

  #pump(slot: Slot): void {
    if (slot.running || slot.queue.length === 0 || this.#closed) return;
    const pending = slot.queue.shift()!;
    slot.running = pending;
    const worker = (slot.worker ??= this.#start(slot));
    if (!slot.ready) clearTimeout(pending.timer); // its budget starts once the worker has loaded
    worker.ref(); // a job in progress keeps the process alive
    worker.postMessage(pending.request);
  }

  #expire(slot: Slot, pending: Pending): void {
    const seconds = pending.budgetMs / 1000;
    if (slot.running === pending) {
      this.#retire(slot, pending, { ok: false, reason: 'too_slow', why: `it did not finish within ${seconds} s` });
    } else {
      slot.queue = slot.queue.filter((p) => p !== pending);
      this.#settle(pending, { ok: false, reason: 'too_slow', why: `no check worker was free within ${seconds} s` });
    }
  }

  /** Gives up the running job and the worker it runs on (stopped; the next job starts a new one). */
  #retire(slot: Slot, pending: Pending, outcome: PoolOutcome<never>): void {
    void slot.worker?.terminate();
    slot.worker = null;
    slot.running = null;
    this.#settle(pending, outcome);
    this.#pump(slot);
  }

  #settle(pending: Pending, outcome: PoolOutcome<never>): void {
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }

  #start(slot: Slot): Worker {
    const worker = spawnCheckWorker(this.#options.maxHeapMb);
    slot.ready = false;
    slot.compiled = new Set();
    worker.on('message', (reply: WorkerReply | typeof WORKER_READY) => {
      const pending = slot.running;
      if (reply === WORKER_READY) {
        if (slot.worker !== worker) return;
        slot.ready = true;
        if (pending) pending.timer = setTimeout(() => this.#expire(slot, pending), pending.budgetMs);
        return;
      }
      this.#compiles += reply.compiled;
      if (slot.worker !== worker || !pending || pending.request.id !== reply.id) return;
      slot.running = null;
      if (reply.ok && pending.affinity !== undefined) slot.compiled.add(pending.affinity);
      worker.unref();
      this.#settle(pending, reply.ok ? { ok: true, value: reply.result as never } : { ok: false, reason: 'failed', why: reply.error });
      this.#pump(slot);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const outcome: PoolOutcome<never> = outOfMemory
        ? { ok: false, reason: 'too_large', why: `it needed more than ${this.#options.maxHeapMb} MB of memory` }
        : { ok: false, reason: 'failed', why: error.message };
      if (slot.running) this.#retire(slot, slot.running, outcome);
      else slot.worker = null;
    });
    worker.on('exit', () => {
      if (slot.worker !== worker) return; // stopped on purpose
      slot.worker = null;
      if (slot.running) this.#retire(slot, slot.running, { ok: false, reason: 'failed', why: 'the check worker stopped' });
    });
    worker.unref();
    return worker;
  }
}

/**
 * Starts check-worker. Built, it is check-worker.js next to this file; run from the TypeScript
 * sources (tests, tsx), the worker gets tsx's loader first, as this thread has.
 */
function spawnCheckWorker(maxHeapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./check-worker.js', import.meta.url), { resourceLimits });
  const entry = new URL('./check-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxLoader())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, resourceLimits });
}

/** The file URL of tsx's ESM API (from its package's exports map), for the workers of a run from sources. */
function tsxLoader(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!;
  return pathToFileURL(path.join(path.dirname(manifest), exported.import.default)).href;
}
