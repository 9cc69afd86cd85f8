import { Readable } from 'node:stream';
import type Router from '@koa/router';
import type { RouterContext } from '@koa/router';
import { API_ROUTES, type ResponseOf, type RouteContract, type RouteKey } from '../../shared/wire/routes.js';
import type { BodyValidator } from './body-validation.js';
import { readJsonObject } from './json-body.js';

/**
 * Registers API handlers by their key in the contract (shared/wire/routes.ts), so the method and
 * path come from there and the compiler checks that a handler answers what the contract says.
 */

/** A handler's answer when the route answers 204 No Content. */
export const NO_CONTENT = Object.freeze({ answer: 'no content' } as const);
/** A raw route's handler has set the body (bytes, a download) and its headers itself. */
export const SENT = Object.freeze({ answer: 'sent' } as const);

declare const jsonOf: unique symbol;
/** The JSON text of a T, streamed (a long body is escaped a slice per event-loop turn). */
export type JsonStream<T> = Readable & { readonly [jsonOf]: T };

/** `chunks`, the JSON text of a T, as an answer. */
export function jsonStream<T>(chunks: AsyncIterable<string>): JsonStream<T> {
  return Readable.from(chunks) as JsonStream<T>;
}

type Contract<K extends RouteKey> = (typeof API_ROUTES)[K];
/** What a handler of route K may return. */
export type Answer<K extends RouteKey> =
  Contract<K> extends { raw: true }
    ? typeof SENT
    : Contract<K> extends { response: object }
      ? ResponseOf<K> | JsonStream<ResponseOf<K>> | (Contract<K> extends { noContent: true } ? typeof NO_CONTENT : never)
      : typeof NO_CONTENT;

export type ApiContext = RouterContext;

/** Registers `handler` for route `key`; what it returns is the answer, with the contract's status. */
// NoInfer: K comes from the key alone; inferring it from what the handler returns as well would
// make the compiler expand every route's answer type (json-schema-to-ts types are deep).
export function route<K extends RouteKey>(router: Router, key: K, handler: (ctx: ApiContext) => NoInfer<Answer<K>> | Promise<NoInfer<Answer<K>>>): void {
  const space = key.indexOf(' ');
  const contract: RouteContract = API_ROUTES[key];
  router.register(key.slice(space + 1).replace(/\{(\w+)\}/g, ':$1'), [key.slice(0, space)], async (ctx) => {
    const answer: unknown = await handler(ctx);
    if (answer === SENT) return;
    if (answer === NO_CONTENT) {
      ctx.status = 204;
      return;
    }
    ctx.status = contract.status ?? 200;
    if (answer instanceof Readable) ctx.type = 'application/json';
    ctx.body = answer;
  });
}

/**
 * The JSON body of a route, read (at most `limit` bytes; empty reads as `{}`) and checked by
 * `validate`, the route's validator (`BODY['POST /api/bins']`); a 400 naming the field otherwise.
 */
export async function readBody<T>(ctx: ApiContext, validate: BodyValidator<T>, limit?: number): Promise<T> {
  return validate(await readJsonObject(ctx, limit));
}
