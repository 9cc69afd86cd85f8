import type { ReplayAttempt, ReplayModification } from '../../shared/api-types.js';
import { editHeaders, requestHeaders, toPairs, type HeaderEdits } from '../outbound/headers.js';
import type { TargetRules } from '../outbound/policy.js';
import { sendOutbound, type OutboundRequest, type OutboundResult } from '../outbound/send.js';
import type { StoredRequest } from '../store/types.js';
import { toAttempt } from './attempts.js';

/** How to deliver a captured request; every edit is optional (none: the request as captured). */
export interface DeliveryOptions {
  target: URL;
  trigger: ReplayAttempt['trigger'];
  timeoutMs: number;
  /** Append the captured sub-path to the target's path. */
  appendPath?: boolean;
  method?: string;
  headers?: HeaderEdits;
  body?: Buffer;
  queryString?: string;
  /** Auto-forward: the try number, recorded on the attempt. */
  try?: number;
  signal?: AbortSignal;
}

/** What a delivery needs of a captured request (a stored record, or one read over the API). */
export type CapturedParts = Pick<StoredRequest, 'method' | 'path' | 'queryString' | 'rawHeaders'>;

export interface Delivery {
  result: OutboundResult;
  /** The attempt to record (not yet stored). */
  attempt: ReplayAttempt;
}

/**
 * Sends a captured request to a target: the original method, query, headers (connection headers
 * dropped, host and content-length recomputed) and the exact body bytes, with any edits applied.
 * Never throws for a target's failure: the result and the attempt say what happened.
 */
export async function deliver(record: CapturedParts, body: Buffer, options: DeliveryOptions, rules: TargetRules): Promise<Delivery> {
  const startedAt = Date.now();
  const request = outboundRequest(record, body, options);
  const result = await sendOutbound(request, rules);
  const meta = {
    trigger: options.trigger,
    target: `${options.target.origin}${request.path}`,
    method: request.method,
    modified: modifications(record, body, options),
    try: options.try,
  };
  return { result, attempt: await toAttempt(result, meta, startedAt) };
}

export function outboundRequest(record: CapturedParts, body: Buffer, options: DeliveryOptions): OutboundRequest {
  const method = options.method ?? record.method;
  const sentBody = options.body ?? body;
  const pairs = editHeaders(toPairs(record.rawHeaders), options.headers);
  return {
    url: options.target,
    path: targetPath(options.target, options.appendPath ? record.path : '', options.queryString ?? record.queryString),
    method,
    headers: requestHeaders(pairs, { host: options.target.host, method, bodyLength: sentBody.length }),
    body: sentBody,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/**
 * The path to request: the target's path, then the captured sub-path when asked (raw, as it was
 * sent), then the target's own query joined with the captured one.
 */
export function targetPath(target: URL, subPath: string, queryString: string): string {
  const base = subPath ? target.pathname.replace(/\/$/, '') + subPath : target.pathname;
  const query = [target.search.slice(1), queryString].filter((part) => part !== '').join('&');
  return query ? `${base}?${query}` : base;
}

/** What the edits actually changed (an edit that repeats the captured value is no change). */
function modifications(record: CapturedParts, body: Buffer, options: DeliveryOptions): ReplayModification[] {
  const changed: ReplayModification[] = [];
  if (options.method !== undefined && options.method !== record.method) changed.push('method');
  if (options.headers !== undefined) {
    const before = toPairs(record.rawHeaders);
    if (JSON.stringify(editHeaders(before, options.headers)) !== JSON.stringify(before)) changed.push('headers');
  }
  if (options.body !== undefined && !options.body.equals(body)) changed.push('body');
  if (options.queryString !== undefined && options.queryString !== record.queryString) changed.push('queryString');
  return changed;
}
