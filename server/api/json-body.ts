import type { Context } from 'koa';
import { readBodyWithLimit } from '../capture/read-body.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../shared/json-depth.js';
import { HttpError } from '../http-error.js';

const API_BODY_LIMIT = 1024 * 1024;
/** Bodies that may carry a custom schema (bin settings, /api/validate): the schema may be 1 MiB on its own. */
export const SCHEMA_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * Reads the API request's JSON body (at most 1 MB, an empty body reads as `{}`, nesting at most
 * MAX_JSON_DEPTH deep) and checks it is an object. Errors say what was wrong.
 */
export async function readJsonObject(ctx: Context, limit = API_BODY_LIMIT): Promise<Record<string, unknown>> {
  const read = await readBodyWithLimit(ctx.req, limit);
  if (!read.ok) {
    if (read.reason === 'too_large') throw new HttpError(413, 'body_too_large', `API request bodies are limited to ${limit} bytes.`);
    throw new HttpError(400, 'body_aborted', 'The request body was not received completely.');
  }
  if (read.body.length === 0) return {};
  const text = read.body.toString('utf8');
  // Parsing any depth works, but whatever walks the value afterwards (validation, storage, replies) recurses.
  if (nestsDeeperThan(text))
    throw new HttpError(
      400,
      'invalid_json',
      `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels; hookscope takes JSON up to that depth.`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'invalid_body', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}
