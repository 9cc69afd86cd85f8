import type { CheckResult } from '../../shared/checks/types.js';
import type { CheckJob } from './compute-checks.js';
import type { SchemaSource } from './schema-source.js';
import type { CompiledSchema } from './validator.js';

/** What a check worker (check-worker.ts) is asked to do. */
export type WorkerJob = { kind: 'check'; job: CheckJob } | { kind: 'compile'; source: SchemaSource };

/** A compile's verdict, as plain data (the compiled function stays in the worker). */
export type CompileVerdict = Exclude<CompiledSchema, { ok: true }> | { ok: true };

/** The result of each kind of job. */
export interface WorkerResults {
  check: CheckResult;
  compile: CompileVerdict;
}

export type WorkerRequest = { id: number } & WorkerJob;
/** Sent once, when the worker has loaded its code (ajv and the built-in schemas) and listens. */
export const WORKER_READY = 'ready';

/** Every reply says how many schemas the job compiled (0 when the cache had it). */
export type WorkerReply = { id: number; compiled: number } & ({ ok: true; result: WorkerResults[WorkerJob['kind']] } | { ok: false; error: string });
