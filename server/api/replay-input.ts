import type { ValidBodyOf } from '../../shared/wire/routes.js';
import { isForbiddenKey } from '../../shared/safe-keys.js';
import { DEFAULT_TIMEOUT_MS, parseTargetUrl } from '../forward/settings.js';
import { HttpError } from '../http-error.js';
import type { HeaderEdits } from '../outbound/headers.js';
import type { StoredBin } from '../store/types.js';

export interface ReplayEdits {
  target: URL;
  timeoutMs: number;
  appendPath: boolean;
  method?: string;
  headers?: HeaderEdits;
  body?: Buffer;
  queryString?: string;
}

type ReplayInput = ValidBodyOf<'POST /api/bins/{binId}/requests/{requestId}/replay'>;
type ReplayManyInput = ValidBodyOf<'POST /api/bins/{binId}/replay'>;

/**
 * A replay body (ReplayInput), whose shape the contract's schema has checked, as edits: the
 * target defaults to the bin's last one, and what a schema cannot say is checked here.
 */
export function parseReplayInput(input: ReplayInput, bin: StoredBin): ReplayEdits {
  const edits: ReplayEdits = { ...common(input, bin) };
  if (input.method !== undefined) edits.method = input.method;
  if (input.headers !== undefined) edits.headers = checkHeaderEdits(input.headers);
  if (input.body !== undefined) edits.body = decodeBody(input.body, input.bodyEncoding);
  if (input.queryString !== undefined) edits.queryString = input.queryString.replace(/^\?/, '');
  return edits;
}

/** A replay-many body (ReplayManyInput) as edits and ids (without repeats); `requestIds` null: the whole bin. */
export function parseReplayManyInput(input: ReplayManyInput, bin: StoredBin): { edits: ReplayEdits; requestIds: string[] | null } {
  return { edits: common(input, bin), requestIds: input.requestIds === undefined ? null : [...new Set(input.requestIds)] };
}

function common(input: ReplayManyInput, bin: StoredBin): Pick<ReplayEdits, 'target' | 'timeoutMs' | 'appendPath'> {
  const target = input.target ?? bin.replayTarget;
  if (target === undefined || target === null)
    throw invalid('Give a "target" (e.g. "http://localhost:3000/webhook"); this bin has no previous replay target to reuse.');
  return { target: parseTargetUrl(target), timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS, appendPath: input.appendPath === true };
}

/** A header patch cannot name a key that reaches a prototype; the list of pairs can (it is not an object). */
function checkHeaderEdits(edits: NonNullable<ReplayInput['headers']>): HeaderEdits {
  if (Array.isArray(edits)) return edits;
  const refused = Object.keys(edits).find((name) => isForbiddenKey(name.toLowerCase()));
  if (refused)
    throw invalid(
      `"headers" patch name "${refused}" is refused: hookscope does not take __proto__, constructor or prototype as a key; send the whole list of [name, value] pairs instead.`,
    );
  return edits;
}

function decodeBody(body: string, encoding: ReplayInput['bodyEncoding']): Buffer {
  if (encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw invalid('"body" is not valid base64.');
  return Buffer.from(body, encoding === 'base64' ? 'base64' : 'utf8');
}

function invalid(message: string): HttpError {
  return new HttpError(400, 'invalid_replay', message);
}
