import type { Context } from 'koa';
import { readBodyWithLimit } from '../capture/read-body.js';
import { HttpError } from '../http-error.js';

const API_BODY_LIMIT = 1024 * 1024;

/**
 * Reads the API request's JSON body (at most 1 MB, an empty body reads as `{}`) and checks it
 * is an object. Errors say what was wrong.
 */
export async function readJsonObject(ctx: Context, limit = API_BODY_LIMIT): Promise<Record<string, unknown>> {
  const read = await readBodyWithLimit(ctx.req, limit);
  if (!read.ok) {
    if (read.reason === 'too_large') throw new HttpError(413, 'body_too_large', `API request bodies are limited to ${limit} bytes.`);
    throw new HttpError(400, 'body_aborted', 'The request body was not received completely.');
  }
  if (read.body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(read.body.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'invalid_body', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}
