import { isUtf8 } from 'node:buffer';
import type { MultiValueMap, TokenStatus } from '../../shared/api-types.js';
import { checkPayload, payloadStatusOf, type CheckInput } from '../../shared/checks/index.js';
import type { CheckIssue, CheckResult, SchemaChoice, SchemaValidator, SignatureCheck, SkippedCheck } from '../../shared/checks/types.js';
import { parseJsonText } from '../views/body-views.js';
import { headerMap } from '../views/multi-value.js';
import type { SchemaSource } from './schema-source.js';
import { CheckSkippedError, skippedCheck } from './skipped.js';
import { validateBuiltin, type ErrorMode } from './validator.js';

/** A bin's schema choice as a job carries it: a custom schema as its source text and hash. */
export type JobChoice = Exclude<SchemaChoice, { custom: unknown }> | { custom: SchemaSource; pointer?: string };

/**
 * Everything the payload checks of one request need, in a form that can be posted to a worker
 * (plain data). The signature is verified by the caller, over the raw bytes it holds anyway.
 */
export interface CheckJob {
  /** The exact body bytes. */
  body: Uint8Array;
  /** The body already decoded as UTF-8 (a record's inline body), or null when it is not UTF-8; absent: decoded here. */
  text?: string | null;
  contentType: string | null;
  /** Node's flat [name, value, …]. */
  rawHeaders: string[];
  choice: JobChoice;
  context: { receivedUrl?: string; expectedIds?: string[]; receivedAt?: number; token?: TokenStatus; secretHeader?: TokenStatus; signature?: SignatureCheck };
  /** Longest body parsed for the checks: a larger one is marked 'too_large'. */
  maxParseBytes: number;
}

/** Runs a custom schema (the worker's cache, or the in-process one). */
export type CustomValidator = (source: SchemaSource, value: unknown, mode: ErrorMode, pointer?: string) => CheckIssue[];

/**
 * Bodies longer than this are checked for their first schema problem only (see ErrorMode): with
 * every problem collected, 256 KB of failing items take ajv ~250 ms and ~100 MB of errors.
 */
export const ALL_ERRORS_LIMIT = 256 * 1024;

/**
 * The payload checks of one request without the duplicate look-up (the caller claims the
 * delivery key in the store and adds it with addDuplicate). Synchronous and CPU-bound: the caller
 * decides which thread it runs on. Never throws for anything a payload or schema does: a body
 * nested too deep, or a schema that overflows the stack on it, gives a result with `skipped`.
 * `headers` is headerMap(job.rawHeaders), when the caller has it already.
 */
export function computeChecks(job: CheckJob, custom: CustomValidator, headers: MultiValueMap = headerMap(job.rawHeaders)): CheckResult {
  const parsed = parseForChecks(job);
  const mode: ErrorMode = parsed.length > ALL_ERRORS_LIMIT ? 'first' : 'all';
  const input: CheckInput = {
    json: parsed.json,
    ...(parsed.jsonError !== undefined ? { jsonError: parsed.jsonError } : {}),
    ...(parsed.skipped ? { skipped: parsed.skipped } : {}),
    headers,
    // checkPayload only needs to know a custom schema applies; `validate` knows which one.
    choice: typeof job.choice === 'object' ? { custom: {} } : job.choice,
    validate: validatorFor(job.choice, custom, mode),
    context: job.context,
  };
  try {
    const result = checkPayload(input);
    // A header that names no part of the schema is worth a look, not an error of the payload.
    const notice = result.errors.findIndex((e) => e.code === 'schema.no_subschema');
    if (notice !== -1) {
      result.warnings.unshift(...result.errors.splice(notice, 1));
      result.valid = result.errors.length === 0 && !result.skipped;
    }
    const status = payloadStatusOf(result.schema, parsed.json);
    if (status !== null) result.payloadStatus = status;
    if (mode === 'first' && result.errors.some((e) => e.code.startsWith('schema.'))) {
      result.warnings.push({
        path: '',
        code: 'schema.truncated',
        message: `The body is larger than ${ALL_ERRORS_LIMIT / 1024} KB: the schema check stopped at its first problem.`,
      });
    }
    return result;
  } catch (error) {
    if (!(error instanceof CheckSkippedError)) throw error;
    return checkPayload({ ...input, json: undefined, skipped: error.skipped });
  }
}

function validatorFor(choice: JobChoice, custom: CustomValidator, mode: ErrorMode): SchemaValidator {
  return (schema, value) =>
    typeof schema === 'string' ? validateBuiltin(schema, value, mode) : typeof choice === 'object' ? custom(choice.custom, value, mode, choice.pointer) : [];
}

/** The parsed body (or why not), and the length of its text (0 when it is not text). */
function parseForChecks(job: CheckJob): { json?: unknown; jsonError?: string; skipped?: SkippedCheck; length: number } {
  const text =
    job.text !== undefined ? job.text : isUtf8(job.body) ? Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength).toString('utf8') : null;
  if (text === null) return { length: 0 };
  const view = parseJsonText(text, job.contentType, job.maxParseBytes);
  if (view.jsonOmitted === undefined) return { ...view, length: text.length };
  // A parse of that much JSON could take more memory than a check worker has (up to ~20 times the text).
  const why =
    text.length > job.maxParseBytes
      ? `the body is larger than ${Math.floor(job.maxParseBytes / 1024 / 1024)} MB, the most the checks parse`
      : `the body is ${view.jsonOmitted}`;
  return { skipped: skippedCheck(text.length > job.maxParseBytes ? 'too_large' : 'too_deep', why), length: text.length };
}

/**
 * The checks that need no payload (token, signature, a webhook-id duplicate key), with the
 * payload part marked `skipped`: what is recorded when the payload checks could not finish.
 */
export function checksWithoutPayload(job: Pick<CheckJob, 'rawHeaders' | 'choice' | 'context'>, skipped: SkippedCheck): CheckResult {
  return checkPayload({
    json: undefined,
    skipped,
    headers: headerMap(job.rawHeaders),
    choice: typeof job.choice === 'object' ? { custom: {} } : job.choice,
    validate: () => [],
    context: job.context,
  });
}
