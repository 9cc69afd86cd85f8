/**
 * A check worker (see check-pool.ts): runs payload checks and compiles custom schemas off the
 * main thread, one job at a time. Compiled schemas stay here, cached by content hash.
 */
import { parentPort } from 'node:worker_threads';
import { computeChecks } from './compute-checks.js';
import { CompiledSchemas } from './schema-cache.js';
import { compileCustomSchema, validateCustom } from './validator.js';
import { WORKER_READY, type WorkerReply, type WorkerRequest, type WorkerResults } from './worker-protocol.js';

const schemas = new CompiledSchemas((schema) => compileCustomSchema(schema));

function run(request: WorkerRequest): WorkerResults[WorkerRequest['kind']] {
  if (request.kind === 'compile') {
    const compiled = schemas.get(request.source);
    return compiled.ok ? { ok: true } : compiled;
  }
  return computeChecks(request.job, (source, value, mode, pointer) => validateCustom(schemas.get(source), value, mode, pointer));
}

parentPort!.on('message', (request: WorkerRequest) => {
  const before = schemas.compiles;
  let reply: WorkerReply;
  try {
    const result = run(request);
    reply = { id: request.id, compiled: schemas.compiles - before, ok: true, result };
  } catch (error) {
    reply = {
      id: request.id,
      compiled: schemas.compiles - before,
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
  parentPort!.postMessage(reply);
});
// Compiling the first schema also compiles the meta-schemas: part of starting up, not of a job.
compileCustomSchema({ type: 'object' });
parentPort!.postMessage(WORKER_READY);
