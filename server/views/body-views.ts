import busboy from 'busboy';
import type { MultiValueMap, MultipartPart } from '../../shared/api-types.js';
import { nestsDeeperThan, tooDeepNote } from '../../shared/json-depth.js';
import { groupPairs } from './multi-value.js';

/**
 * Bodies up to this size get parsed views on the main thread. Parsing is the costly part
 * (JSON.parse of 17 MB of keys takes about a second, and so does serialising the result), and no
 * one request may hold the event loop for more than about 100 ms; the raw endpoint serves every
 * body whatever its size.
 */
export const VIEW_PARSE_LIMIT = 1024 * 1024;

export interface BodyViews {
  json?: unknown;
  jsonError?: string;
  /** Why the body, which is JSON by shape, has no `json` view (nested too deep, too large): it is shown raw. */
  jsonOmitted?: string;
  form?: MultiValueMap;
  parts?: MultipartPart[];
  partsError?: string;
  /** Views left out because the body is larger than VIEW_PARSE_LIMIT. */
  viewsOmitted?: true;
}

/**
 * Parsed views of a body, derived from the exact bytes and never replacing them. JSON is
 * recognised by content as well as by content type, because real senders (LangGraph's JS
 * server) post JSON as text/plain. A view that cannot be built is left out and says why.
 */
export async function deriveBodyViews(body: Buffer, contentType: string | null, isText: boolean): Promise<BodyViews> {
  if (body.length > VIEW_PARSE_LIMIT) return { viewsOmitted: true };
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

/** The JSON view alone: see parseJsonText. */
export function parseJsonView(body: Buffer, contentType: string | null, maxBytes = VIEW_PARSE_LIMIT): Pick<BodyViews, 'json' | 'jsonError' | 'jsonOmitted'> {
  // Only the start is decoded to tell whether it is JSON: decoding all of a huge body costs too.
  if (body.length > maxBytes) return looksLikeJson(body.subarray(0, 1024).toString('utf8'), contentType) ? { jsonOmitted: tooLargeNote(maxBytes) } : {};
  return parseJsonText(body.toString('utf8'), contentType, maxBytes);
}

/**
 * The JSON view of a body decoded as UTF-8 text: `json` when it parses, `jsonError` when it
 * looks like JSON (by shape or content type) but does not, `jsonOmitted` when it looks like JSON
 * but is nested deeper than MAX_JSON_DEPTH or longer than `maxLength` characters (a parsed value
 * that deep would overflow the stack of every reader that walks it), else {}.
 */
export function parseJsonText(text: string, contentType: string | null, maxLength = VIEW_PARSE_LIMIT): Pick<BodyViews, 'json' | 'jsonError' | 'jsonOmitted'> {
  if (!looksLikeJson(text, contentType)) return {};
  if (text.length > maxLength) return { jsonOmitted: tooLargeNote(maxLength) };
  if (nestsDeeperThan(text)) return { jsonOmitted: tooDeepNote() };
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    return { jsonError: (error as Error).message };
  }
}

function looksLikeJson(text: string, contentType: string | null): boolean {
  return /^\s*[[{]/.test(text) || /[/+]json\b/i.test(contentType ?? '');
}

function tooLargeNote(limit: number): string {
  return `larger than ${limit / 1024 / 1024} MB: not parsed, shown as raw`;
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
