import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Rejection } from '../../shared/api-types.js';
import type { AnsweredWith } from '../../shared/responses/types.js';
import type { ChosenResponse } from '../responses/script.js';
import type { MatchableRequest } from '../../shared/responses/match.js';
import { errorBody } from '../http-error.js';
import { headerMap } from '../views/multi-value.js';
import { parseJsonView } from '../views/body-views.js';
import { DROPPED_SESSION_COOKIE, isolatedAnswerHeaders, setsSessionCookie } from './isolation.js';
import type { CaptureTarget } from './record.js';

/** How a capture will be answered, decided before it is stored (it is recorded with it). */
export type Plan = ChosenResponse & { rejection?: Rejection };

/** The answer ready to send, with what is recorded about it. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  delayMs: number;
  recorded: AnsweredWith;
}

/** Placeholder when the answer is not hookscope's to give (pass-through: the target answers). */
export const NO_ANSWER: Answer = { status: 0, headers: {}, body: Buffer.alloc(0), delayMs: 0, recorded: { status: 0, delayMs: 0, headers: {}, bodySize: 0 } };

/** A refusal (401 token, 413 size, 503 busy…) as a plan: a JSON error, never scripted. */
export function refusal(rejection: Rejection, headers: Record<string, string> = {}): Plan {
  return { status: rejection.status, headers, body: JSON.stringify(errorBody(rejection.code, rejection.message)), delayMs: 0, answered: {}, rejection };
}

/**
 * Fills in what needs the request id: hookscope's own JSON body when the plan has none
 * (`{ ok, id }`, or an error naming the scripted status), and the id header.
 */
export function finishAnswer(plan: Plan, id: string, isHead: boolean): Answer {
  const ownBody = plan.body === null;
  // The id is a checked ULID, so the common answer can be written without JSON.stringify.
  const text = ownBody
    ? plan.status < 400
      ? `{"ok":true,"id":"${id}"}`
      : JSON.stringify({ ...errorBody('scripted_status', `This bin is set to answer ${plan.status}.`), id })
    : plan.body!;
  const { kept, dropped } = withoutSessionCookie(plan.headers);
  const headers: Record<string, string> = { ...kept, 'x-hookscope-request-id': id };
  if (ownBody || headers['content-type'] === undefined) headers['content-type'] = ownBody ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
  const body = Buffer.from(text);
  // Recorded without the id header (the record has its id); a rest copy, as `delete` would slow the object down.
  const { 'x-hookscope-request-id': _id, ...recordedHeaders } = headers;
  const noBody = isHead || plan.status === 204 || plan.status === 304;
  return {
    status: plan.status,
    headers,
    body: noBody ? Buffer.alloc(0) : body,
    delayMs: plan.delayMs,
    recorded: {
      status: plan.status,
      delayMs: plan.delayMs,
      ...plan.answered,
      headers: recordedHeaders,
      bodySize: noBody ? 0 : body.length,
      ...(dropped.length > 0 ? { redacted: dropped } : {}),
    },
  };
}

/** Sends the answer with the capture answers' isolation (server/capture/isolation.ts). */
export function send(res: ServerResponse, answer: Answer): void {
  const { headers } = isolatedAnswerHeaders([...Object.entries(answer.headers), ['content-length', String(answer.body.length)]]);
  res.writeHead(answer.status, headers);
  // A small body goes out as latin1 text, byte for byte: Node then sends it in the same write as
  // the head (a Buffer would be a second chunk, a writev). Larger ones as they are.
  if (answer.body.length <= ONE_WRITE_LIMIT) res.end(answer.body.toString('latin1'), 'latin1');
  else res.end(answer.body);
}

const ONE_WRITE_LIMIT = 16 * 1024;

/** A scripted answer's headers without a Set-Cookie of hookscope's session cookie (see isolation.ts). */
function withoutSessionCookie(headers: Record<string, string>): { kept: Record<string, string>; dropped: string[] } {
  const entries = Object.entries(headers);
  const kept = entries.filter(([name, value]) => !setsSessionCookie(name, value));
  if (kept.length === entries.length) return { kept: headers, dropped: [] };
  return { kept: Object.fromEntries(kept), dropped: [DROPPED_SESSION_COOKIE] };
}

/** Waits `ms`; false when the sender hung up meanwhile (then there is nobody to answer). */
export function waitUnlessGone(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

/** The request as rules see it; headers and JSON are parsed only if a rule looks at them. */
export function scriptView(req: IncomingMessage, target: CaptureTarget, body: Buffer): MatchableRequest {
  let headers: MatchableRequest['headers'] | undefined;
  let json: { value: unknown } | undefined;
  return {
    method: req.method ?? 'GET',
    path: target.path,
    get headers() {
      return (headers ??= headerMap(req.rawHeaders));
    },
    get json() {
      return (json ??= { value: parseJsonView(body, req.headers['content-type'] ?? null).json }).value;
    },
  };
}
