// The request bodies the benchmarks send.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KREA_EXAMPLE } from '../test/fixtures/payloads/krea-example.mjs';

/** `value` as JSON of exactly `size` bytes (for ASCII values), filled up by a `pad` field of x's. */
export function padded(value, size) {
  const withPad = { ...value, pad: '' };
  withPad.pad = 'x'.repeat(size - JSON.stringify(withPad).length);
  return JSON.stringify(withPad);
}

/** A `size`-byte (default ~1 KB) JSON event, different for each `n` (a unique event id). */
export function eventBody(n, size = 1024) {
  const event = { event: 'order.paid', id: `evt_${n}`, data: { order: `ord_${n}`, amount: 4200 + (n % 100), currency: 'eur', items: [{ sku: 'A1', qty: 2 }] } };
  return padded(event, size);
}

/**
 * Writes the throughput benchmarks' two 1 KB bodies into `dir` and returns their paths: ordinary
 * JSON (the issue's "1 KB JSON posts": stored, parsed, no schema recognised), and a Krea job,
 * recognised and put through every check (schema, semantics, delivery claim: the same job_id each
 * time, so each is also flagged as a duplicate, the costliest path).
 */
export function writeCaptureBodies(dir) {
  const bodies = { generic: path.join(dir, 'generic.json'), krea: path.join(dir, 'krea.json') };
  writeFileSync(bodies.generic, padded({ event: 'order.paid', data: { id: 'ord_1042', amount: 4200, currency: 'eur', items: [{ sku: 'A1', qty: 2 }] } }, 1024));
  writeFileSync(bodies.krea, padded(KREA_EXAMPLE, 1024));
  return bodies;
}

/** writeCaptureBodies into a new temporary folder named `prefix…`: { dir, bodies }; the caller removes `dir`. */
export function captureBodiesInTempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, bodies: writeCaptureBodies(dir) };
}
