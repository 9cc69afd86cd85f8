import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** Decoded bytes kept at most: enough to read any answer, and a cap against decompression bombs. */
export const MAX_DECODED_BYTES = 1024 * 1024;

export interface Decoded {
  coding: string;
  bytes: Buffer;
  /** The decoded body goes on past `bytes` (cut at MAX_DECODED_BYTES) or stopped early (the encoded body was cut). */
  truncated: boolean;
  /** Why decoding stopped before the end, when it did not simply reach the cap. */
  error?: string;
}

// A Map: the coding is the target's word, and `constructor` must not find Object.
const DECODERS = new Map<string, () => Transform>([
  ['gzip', createGunzip],
  ['x-gzip', createGunzip],
  ['deflate', createInflate],
  ['br', createBrotliDecompress],
]);

/**
 * A target's response body with its Content-Encoding undone, for reading it (the bytes as sent
 * on the wire are kept as they were). Null when the body is not encoded, or encoded in a way not
 * known here. Decodes as far as the bytes go (a body cut short yields its beginning) and at most
 * MAX_DECODED_BYTES; never rejects.
 */
export function decodeContent(headers: readonly [string, string][], body: Buffer): Promise<Decoded | null> {
  const coding = headers
    .find(([name]) => name.toLowerCase() === 'content-encoding')?.[1]
    .trim()
    .toLowerCase();
  const makeDecoder = coding === undefined ? undefined : DECODERS.get(coding);
  if (!coding || !makeDecoder || body.length === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const decoder = makeDecoder();
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (truncated: boolean, error?: string) => {
      decoder.removeAllListeners('data');
      decoder.destroy();
      const bytes = Buffer.concat(chunks).subarray(0, MAX_DECODED_BYTES);
      resolve({ coding, bytes, truncated, ...(error ? { error } : {}) });
    };
    decoder.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_DECODED_BYTES) finish(true);
    });
    decoder.once('end', () => finish(false));
    decoder.once('error', (error: Error) => finish(true, `the ${coding} body could not be decoded past ${size} bytes: ${error.message}`));
    decoder.end(body);
  });
}
