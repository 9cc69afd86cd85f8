// The record cache keeps a request just stored as the bytes of its line, off the JavaScript heap
// (a heap of thousands of parsed captures was a fifth of a busy server's main thread, in the
// garbage collector), and parses it when it is first read. Its budget must bound real memory.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriter } from '../server/store/files/file-writer.js';
import { PARSED_OVERHEAD, RecordCache } from '../server/store/lowdb/record-cache.js';
import { SegmentChain } from '../server/store/lowdb/segment-chain.js';
import { requestLine } from '../server/store/lowdb/segment-lines.js';
import { makeRecord } from './helpers/stores.js';
import { makeTempDir } from './helpers/server.js';

/** Two requests (the second with a non-ASCII body) appended to a real segment, and where they went. */
async function appendTwo() {
  const dir = await makeTempDir();
  const writer = new FileWriter();
  const chain = new SegmentChain(path.join(dir, 'bin'), writer);
  const records = [makeRecord('b1', '{"a":1}').record, makeRecord('b1', '{"name":"jürgen köln ✓"}').record];
  const lines = records.map((r) => requestLine(r, 'r'));
  const appended = await chain.append(lines, () => []);
  return {
    records,
    lines,
    appended,
    done: async () => {
      await chain.close();
      await writer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('the record cache', () => {
  it('gives back a request kept as the bytes of its line exactly as stored, and keeps it parsed once read', async () => {
    const { records, lines, appended, done } = await appendTwo();
    try {
      // The bytes are the line as written, in a buffer of the batch's own (not Node's shared pool,
      // which would hold 8 KB slabs of unrelated memory behind each entry).
      expect(appended.map((a) => a.bytes.toString('utf8'))).toEqual(lines);
      const total = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
      for (const a of appended) expect(a.bytes.buffer.byteLength).toBe(total);

      const cache = new RecordCache(1024 * 1024);
      records.forEach((r, i) => cache.setLine(r.id, appended[i]!.bytes));
      expect(cache.heldSize).toBe(appended.reduce((sum, a) => sum + a.bytes.length + 200, 0));
      const read = cache.get(records[1]!.id)!;
      expect(read).toEqual(records[1]);
      // Read once: kept parsed (the same object next time), counted as a parsed request.
      expect(cache.get(records[1]!.id)).toBe(read);
      expect(cache.heldSize).toBe(appended[0]!.bytes.length + 200 + appended[1]!.bytes.length * PARSED_OVERHEAD + 200);
    } finally {
      await done();
    }
  });

  it('keeps within its budget, oldest out first, and drops a line it cannot read', async () => {
    const { records, appended, done } = await appendTwo();
    try {
      const one = appended[0]!.bytes.length + 200;
      const cache = new RecordCache(one + 10); // room for the first line only
      cache.setLine(records[0]!.id, appended[0]!.bytes);
      cache.setLine(records[1]!.id, appended[1]!.bytes);
      expect(cache.heldSize).toBeLessThanOrEqual(one + 10);
      expect(cache.get(records[0]!.id)).toBeUndefined(); // the older went first

      const damaged = new RecordCache(1024 * 1024);
      damaged.setLine(records[0]!.id, Buffer.from('{"h":[not json'));
      damaged.setLine(records[1]!.id, appended[0]!.bytes); // another request's line under this id
      expect(damaged.get(records[0]!.id)).toBeUndefined();
      expect(damaged.get(records[1]!.id)).toBeUndefined();
      expect(damaged.heldSize).toBe(0); // read from disk instead, nothing held for them
    } finally {
      await done();
    }
  });
});
