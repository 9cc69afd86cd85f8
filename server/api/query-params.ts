import type { Context } from 'koa';
import { isRequestId } from '../../shared/ids.js';
import { HttpError } from '../http-error.js';

/** A single query parameter (the first, if repeated), or undefined. */
export function queryParam(ctx: Context, name: string): string | undefined {
  const value = ctx.query[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * An integer query parameter within its schema's bounds (the contract, shared/wire/routes.ts);
 * its default when absent, else unbounded above: Number.MAX_SAFE_INTEGER.
 */
export function intParam(ctx: Context, name: string, schema: { minimum: number; maximum?: number; default?: number }): number {
  const { minimum: min, maximum: max = Number.MAX_SAFE_INTEGER, default: fallback = max } = schema;
  const raw = queryParam(ctx, name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, 'invalid_parameter', `"${name}" must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** A request id query parameter (a cursor), validated; undefined when absent. */
export function requestIdParam(ctx: Context, name: string): string | undefined {
  const raw = queryParam(ctx, name);
  if (raw === undefined || raw === '') return undefined;
  if (!isRequestId(raw)) throw new HttpError(400, 'invalid_parameter', `"${name}" must be a request id (26 characters, as returned by the API).`);
  return raw;
}
