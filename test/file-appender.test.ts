// The segment appender keeps each file zero-filled ahead of its content (server/store/files/
// file-appender.ts): the zeros must never become content, whether the file is let go cleanly,
// left by a crash, or a write fails half-way; and a log's end is still read past them.
import { mkdtempSync, rmSync } from 'node:fs';
import { open, readFile, stat, writeFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAppender } from '../server/store/files/file-appender.js';
import { readUsageAtEnd, scanSegment, segmentFileName } from '../server/store/lowdb/segment-files.js';
import { requestLine } from '../server/store/lowdb/segment-lines.js';
import { makeRecord } from './helpers/stores.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hookscope-appender-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => path.join(dir, `file-${++files}.jsonl`);
const newAppender = () => ({ appender: new FileAppender(), file: newFile() });

/** Lets every file of `appender` go (cut back to its content), then reads `file`. */
async function textOnceClosed(appender: FileAppender, file: string): Promise<string> {
  await appender.close();
  return readFile(file, 'utf8');
}

type HandleMethod = (this: FileHandle, ...args: unknown[]) => Promise<unknown>;

/**
 * Runs `task` with FileHandle's method `name` replaced by `replace(original)` for every handle
 * (the method lives on the class's prototype), and puts the original back after.
 */
async function withFileHandleMethod(name: 'truncate' | 'write', replace: (original: HandleMethod) => HandleMethod, task: () => Promise<void>): Promise<void> {
  const probe = await open(dir, 'r');
  const prototype = Object.getPrototypeOf(probe) as Record<typeof name, HandleMethod>;
  await probe.close();
  const original = prototype[name];
  prototype[name] = replace(original);
  try {
    await task();
  } finally {
    prototype[name] = original;
  }
}

/** The file's bytes: the content, then only zeros (what a reader may find while it is open or after a crash). */
async function contentAndFill(file: string): Promise<{ content: string; fill: number }> {
  const bytes = await readFile(file);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return { content: bytes.toString('utf8', 0, end), fill: bytes.length - end };
}

describe('FileAppender', () => {
  it('writes each append right after the content, zero-fills ahead while open, and leaves only the content when let go', async () => {
    const { appender, file } = newAppender();
    const lines = Array.from({ length: 400 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(1000 + i)}"}\n`);
    for (const line of lines) await appender.append(file, line);
    const open = await contentAndFill(file);
    expect(open.content).toBe(lines.join(''));
    expect(open.fill).toBeGreaterThan(0); // ahead of the next appends
    await appender.release(file);
    expect(await readFile(file, 'utf8')).toBe(lines.join(''));
  });

  it('appends after the content of a file a crash left zero-filled, not after the zeros', async () => {
    const { appender, file } = newAppender();
    await writeFile(file, Buffer.concat([Buffer.from('{"a":1}\n'), Buffer.alloc(200_000)]));
    await appender.append(file, '{"b":2}\n');
    expect(await textOnceClosed(appender, file)).toBe('{"a":1}\n{"b":2}\n');
  });

  it('undoes an append that fails half-way: the file is byte for byte as before, zeros included', async () => {
    const { appender, file } = newAppender();
    await appender.append(file, '{"kept":true}\n');
    const before = await readFile(file);
    appender.fault = 'ENOSPC';
    await expect(appender.append(file, `{"lost":"${'y'.repeat(5000)}"}\n`)).rejects.toMatchObject({ code: 'ENOSPC', rolledBack: true });
    expect(Buffer.compare(await readFile(file), before)).toBe(0);
    appender.fault = null;
    await appender.append(file, '{"after":true}\n');
    expect(await textOnceClosed(appender, file)).toBe('{"kept":true}\n{"after":true}\n');
  });

  it('keeps appends to many files apart, past the number it keeps open', async () => {
    const appender = new FileAppender();
    const many = Array.from({ length: 80 }, newFile); // more than the 64 kept open: some are let go and opened again
    for (let round = 0; round < 3; round++) await Promise.all(many.map((file, i) => appender.append(file, `{"file":${i},"round":${round}}\n`)));
    await appender.close();
    for (const [i, file] of many.entries()) {
      expect(await readFile(file, 'utf8')).toBe([0, 1, 2].map((round) => `{"file":${i},"round":${round}}\n`).join(''));
      expect((await stat(file)).size).toBe(Buffer.byteLength(await readFile(file, 'utf8')));
    }
  });

  it('opens a file it is letting go only once the old handle has cut it back, so the cut cannot take new lines', async () => {
    const { appender, file } = newAppender();
    await appender.append(file, '{"first":true}\n');
    // Slow every cut down, so the one of the file let go below is still pending when it is appended to again.
    const slowCut = (truncate: HandleMethod): HandleMethod =>
      async function (this: FileHandle, ...args) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return truncate.apply(this, args);
      };
    await withFileHandleMethod('truncate', slowCut, async () => {
      const others = Array.from({ length: 64 }, newFile); // the 65th open file lets the least recently used one go: `file`
      await Promise.all(others.map((other) => appender.append(other, '{"other":true}\n')));
      await appender.append(file, '{"after":true}\n');
      await appender.close();
    });
    expect(await readFile(file, 'utf8')).toBe('{"first":true}\n{"after":true}\n');
  });

  it('on a disk too full for a zero fill, appends as a plain append would and still leaves only the content', async () => {
    const { appender, file } = newAppender();
    // Every zero fill writes half of itself, then fails as a full disk does.
    const fillFailsHalfWay = (write: HandleMethod): HandleMethod =>
      async function (this: FileHandle, ...args) {
        const [buffer, , , position] = args as [Uint8Array, number, number, number];
        if (buffer.length < 128 * 1024 || !buffer.every((b) => b === 0)) return write.apply(this, args);
        await write.call(this, buffer, 0, buffer.length >> 1, position);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
    await withFileHandleMethod('write', fillFailsHalfWay, async () => {
      await appender.append(file, '{"one":1}\n');
      await appender.append(file, '{"two":2}\n');
      await appender.close();
    });
    expect(await readFile(file, 'utf8')).toBe('{"one":1}\n{"two":2}\n');
  });
});

describe('a segment left zero-filled by a crash', () => {
  it('is cut back to its last line when loaded, and its usage is read from the end past the zeros', async () => {
    const segments = mkdtempSync(path.join(dir, 'segments-'));
    const usage = { count: 2, dataSize: 1234, oldestAt: '2026-01-01T00:00:00.000Z', newestAt: '2026-01-02T00:00:00.000Z' };
    const lines = [requestLine(makeRecord('b1', '{"a":1}').record, 'r'), requestLine(makeRecord('b1', '{"b":2}').record, 'r', usage)];
    const file = path.join(segments, segmentFileName(1));
    await writeFile(file, Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), Buffer.alloc(300_000)]));
    expect(await readUsageAtEnd(segments)).toEqual(usage);
    const scanned = await scanSegment(file);
    expect(scanned.lines).toHaveLength(2);
    expect(await readFile(file, 'utf8')).toBe(`${lines.join('\n')}\n`);
  });

  it('with nothing but zeros in its newest segment, makes the bin be opened to count', async () => {
    const segments = mkdtempSync(path.join(dir, 'segments-'));
    await writeFile(path.join(segments, segmentFileName(1)), Buffer.alloc(10_000));
    expect(await readUsageAtEnd(segments)).toBeNull();
  });
});
