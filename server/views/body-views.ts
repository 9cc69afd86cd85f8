import busboy from 'busboy';
import type { MultiValueMap, MultipartPart } from '../../shared/api-types.js';
import { groupPairs } from './multi-value.js';

export interface BodyViews {
  json?: unknown;
  jsonError?: string;
  form?: MultiValueMap;
  parts?: MultipartPart[];
  partsError?: string;
}

/**
 * Parsed views of a body, derived from the exact bytes and never replacing them. JSON is
 * recognised by content as well as by content type, because real senders (LangGraph's JS
 * server) post JSON as text/plain.
 */
export async function deriveBodyViews(body: Buffer, contentType: string | null, isText: boolean): Promise<BodyViews> {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    try {
      return { parts: (await parseMultipart(body, contentType!)).parts };
    } catch (error) {
      return { partsError: (error as Error).message };
    }
  }
  if (!isText) return {};
  if (type.startsWith('application/x-www-form-urlencoded')) return { form: groupPairs(new URLSearchParams(body.toString('utf8'))) };
  return parseJsonView(body, contentType);
}

/**
 * The JSON view alone (used on the capture path for the payload checks): `json` when the body
 * parses, `jsonError` when it looks like JSON (by shape or content type) but does not, else {}.
 */
export function parseJsonView(body: Buffer, contentType: string | null): Pick<BodyViews, 'json' | 'jsonError'> {
  return parseJsonText(body.toString('utf8'), contentType);
}

/** parseJsonView for a body already decoded as UTF-8 text. */
export function parseJsonText(text: string, contentType: string | null): Pick<BodyViews, 'json' | 'jsonError'> {
  const looksLikeJson = /^\s*[[{]/.test(text) || /[/+]json\b/i.test(contentType ?? '');
  if (!looksLikeJson) return {};
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    return { jsonError: (error as Error).message };
  }
}

export interface MultipartResult {
  parts: MultipartPart[];
  /** The bytes of the part asked for with `capture`, when it exists. */
  captured?: Buffer;
}

/**
 * Parses a multipart/form-data body. Parts are numbered in order; when `capture` is given, that
 * part's bytes are collected too (used by the part download endpoint). Throws on a malformed body.
 */
export function parseMultipart(body: Buffer, contentType: string, capture?: number): Promise<MultipartResult> {
  return new Promise((resolve, reject) => {
    const parts: MultipartPart[] = [];
    let captured: Buffer | undefined;
    let parser: busboy.Busboy;
    try {
      parser = createParser(contentType);
    } catch (error) {
      return reject(new Error(`malformed multipart body: ${(error as Error).message}`));
    }
    parser.on('field', (name, value, info) => {
      const index = parts.length;
      parts.push({ index, name, contentType: info.mimeType, size: Buffer.byteLength(value), value });
      if (index === capture) captured = Buffer.from(value);
    });
    parser.on('file', (name, stream, info) => {
      const part: MultipartPart = { index: parts.length, name, filename: info.filename ?? '', contentType: info.mimeType, size: 0 };
      parts.push(part);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        part.size += chunk.length;
        if (part.index === capture) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (part.index === capture) captured = Buffer.concat(chunks);
      });
    });
    parser.on('error', (error: Error) => reject(new Error(`malformed multipart body: ${error.message}`)));
    parser.on('close', () => resolve({ parts, ...(captured ? { captured } : {}) }));
    parser.end(body);
  });
}

function createParser(contentType: string): busboy.Busboy {
  return busboy({
    headers: { 'content-type': contentType },
    limits: { fieldSize: Infinity, fields: 10_000, files: 10_000, parts: 20_000 },
    preservePath: true,
    defParamCharset: 'utf8',
  });
}
