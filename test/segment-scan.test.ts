// The load scan of a segment reads each request line's head without decoding the rest of it:
// what it finds must equal what the whole line says, for every shape a line can take.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanSegment } from '../server/store/lowdb/segment-files.js';
import { deleteLine, parseLineHead, requestLine, watermarkLine } from '../server/store/lowdb/segment-lines.js';
import { makeRecord } from './helpers/stores.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hookscope-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scanSegment', () => {
  it('finds the head of each line as parsing the whole line would, and cuts a torn tail', async () => {
    const usage = { count: 3, dataSize: 4200, oldestAt: '2026-01-01T00:00:00.000Z', newestAt: '2026-01-02T00:00:00.000Z' };
    const plain = makeRecord('b1', '{"a":1}').record;
    const withKey = makeRecord('b1', 'x'.repeat(3000), 'job-"],"quoted"]').record; // a key holding the head's terminator, escaped
    const longKey = makeRecord('b1', 'y', 'k'.repeat(5000)).record; // a head longer than any peek
    const oldVersion = JSON.stringify({ r: makeRecord('b1', 'z').record });
    const lines = [
      requestLine(plain, 'r'),
      requestLine(withKey, 'r', usage),
      requestLine(longKey, 'u', usage),
      deleteLine(plain.id, usage),
      watermarkLine(null),
      oldVersion,
      '{"h":["not-an-id",1,2,3],"r":{}}',
      `${requestLine(plain, 'r')}x`,
    ];
    const file = path.join(dir, '000000000001.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n{"h":["torn`);
    const scanned = await scanSegment(file);
    expect(scanned.lines.map((l) => l.head)).toEqual(lines.map((l) => parseLineHead(l)));
    expect(scanned.lines[1]!.head).toMatchObject({ kind: 'r', id: withKey.id, key: 'job-"],"quoted"]', usage });
    expect(scanned.lines[2]!.head).toMatchObject({ kind: 'u', id: longKey.id, key: 'k'.repeat(5000), usage });
    expect(scanned.lines.at(-1)!.head).toBeNull(); // not ending in }}: damaged
    expect(readFileSync(file, 'utf8')).toBe(`${lines.join('\n')}\n`);
  });
});
