/**
 * hookscope's payload checks: one pure function from a captured request (parsed body, headers,
 * the verdicts the server computed) and the bin's settings to the `checks` result stored with
 * the request. No ajv, no node:*: schema validation is injected (server/checks/validator.ts), so
 * the inspector can import these types and helpers without growing its bundle.
 */
import type { MultiValueMap, TokenStatus } from '../api-types.js';
import { isBuiltinSchemaId, type BuiltinSchemaId } from '../schemas/index.js';
import { deliveryKey, duplicateWarning } from './delivery.js';
import { detectPayloadKind, isJsonObject } from './detect.js';
import { leftOutRunFields, runTiming, semanticChecks, type SemanticContext } from './semantic.js';
import { secretHeaderIssue, signatureIssue, tokenIssue } from './transport.js';
import type { CheckIssue, CheckResult, SchemaByHeader, SchemaChoice, SchemaValidator, SignatureCheck, SkippedCheck } from './types.js';
import { headerValue } from './delivery.js';

export type * from './types.js';
export { deliveryKey, duplicateWarning, headerValue } from './delivery.js';
export { detectPayloadKind, isJsonObject } from './detect.js';
export { pointerLabel, pointerSegments, toPointer } from './pointer.js';
export { leftOutRunFields, semanticChecks, type Findings, type SemanticContext } from './semantic.js';
export { parseTimestamp } from './timestamp.js';

export interface CheckContext extends SemanticContext {
  /** The query token verdict (server/capture/token.ts); 'missing' and 'invalid' are errors. */
  token?: TokenStatus;
  /** The secret header verdict (server/capture/token.ts), judged like the token. */
  secretHeader?: TokenStatus;
  /** The signature verdict (server/checks/signature.ts). */
  signature?: SignatureCheck;
  /**
   * Looks up an EARLIER request of the same bin with this delivery key and returns its id, or
   * undefined. It must never return the request being checked, so a recheck does not call a
   * request a duplicate of itself. Absent: duplicates are not looked for.
   */
  findDelivery?: (key: string) => string | undefined;
}

export interface CheckInput {
  /** The parsed body; undefined when the body is not JSON (JSON.parse never yields undefined). */
  json: unknown;
  /** Why the body did not parse, when it looked like JSON (CapturedRequest.jsonError). */
  jsonError?: string;
  /**
   * The payload cannot be checked (e.g. nested deeper than MAX_JSON_DEPTH): the schema and
   * semantic checks are skipped and the result says so, unless the bin's choice is 'none'.
   */
  skipped?: SkippedCheck;
  /** Request headers with lower-case names (CapturedRequest.headers). */
  headers: MultiValueMap;
  /** The bin's schema choice. */
  choice: SchemaChoice;
  /** Validates against a built-in or custom schema; must not throw. */
  validate: SchemaValidator;
  context?: CheckContext;
}

/**
 * Runs every check that applies and returns the verdict. Pure and synchronous; never throws
 * (as long as `validate` and `findDelivery` do not).
 *
 * Which schema applies: the bin's choice, where 'auto' picks a built-in by the body's fields and
 * checks nothing when it recognises none (`schema: null`). A chosen schema expects a JSON body: a
 * missing or unparsable one is an error. Built-in schemas add the checks of semantic.ts.
 * Duplicate, token and signature checks run whatever the choice, when their inputs are given.
 */
export function checkPayload(input: CheckInput): CheckResult {
  const context = input.context ?? {};
  const errors: CheckIssue[] = [];
  const warnings: CheckIssue[] = [];
  const schema = resolveSchema(input.choice, input.json);
  const skipped = input.choice === 'none' ? undefined : input.skipped;
  let timing: CheckResult['timing'];

  if (skipped) {
    // Nothing about the payload is known: the verdict says it was not checked.
  } else if (schema === null && input.jsonError !== undefined) {
    warnings.push(notJson(input.jsonError)); // 'auto' cannot tell what it was meant to be
  } else if (schema !== null && schema !== 'none') {
    if (input.json === undefined) errors.push(input.jsonError !== undefined ? notJson(input.jsonError) : noJson(schema));
    else {
      const target = schema === 'custom' ? (input.choice as { custom: Record<string, unknown> }) : schema;
      // A trimmed Run (webhooks.allowed_fields) lacks required fields by design: semantic.ts notes them instead.
      const leftOut = schema === 'langgraph-run' ? leftOutRunFields(input.json) : [];
      const left = leftOut.map((f) => `Missing required field "${f}".`);
      errors.push(...input.validate(target, input.json).filter((e) => !(e.code === 'schema.required' && e.path === '' && left.includes(e.message))));
      if (leftOut.length > 0) {
        warnings.push({
          path: '',
          code: 'langgraph.trimmed',
          message: `A trimmed Run: ${leftOut.join(', ')} left out. A LangGraph server with webhooks.allowed_fields sends only the fields it lists; what is present was checked.`,
        });
      }
      if (schema !== 'custom') {
        const findings = semanticChecks(schema, input.json, context);
        errors.push(...findings.errors);
        warnings.push(...findings.warnings);
        if (schema === 'langgraph-run' && isJsonObject(input.json)) timing = runTiming(input.json, context.receivedAt);
      }
    }
  }

  const result: CheckResult = { schema, valid: true, errors, warnings, ...(skipped ? { skipped } : {}), ...(timing ? { timing } : {}) };
  const key = deliveryKey(input.json, input.headers);
  if (key !== null) {
    result.deliveryKey = key;
    const first = context.findDelivery?.(key);
    if (first !== undefined) addDuplicate(result, first);
  }
  if (context.token !== undefined) {
    result.token = context.token;
    const issue = tokenIssue(context.token);
    if (issue) errors.push(issue);
  }
  if (context.secretHeader !== undefined) {
    result.secretHeader = context.secretHeader;
    const issue = secretHeaderIssue(context.secretHeader);
    if (issue) errors.push(issue);
  }
  if (context.signature !== undefined) {
    result.signature = context.signature.status;
    if (context.signature.provider !== undefined) result.signatureProvider = context.signature.provider;
    const found = signatureIssue(context.signature);
    if (found) (found.error ? errors : warnings).push(found.issue);
  }
  result.valid = errors.length === 0 && !skipped;
  return result;
}

/**
 * Marks a result (with its deliveryKey) as a repeat of request `firstRequestId`. Its warning goes
 * where checkPayload puts it (before a signature warning), so checking first and looking the
 * key up afterwards gives the same result as a `findDelivery` during the checks.
 */
export function addDuplicate(result: CheckResult, firstRequestId: string): void {
  if (result.deliveryKey === undefined) return;
  result.duplicateOf = firstRequestId;
  const at = result.warnings.findIndex((issue) => issue.code.startsWith('signature.'));
  result.warnings.splice(at === -1 ? result.warnings.length : at, 0, duplicateWarning(result.deliveryKey, firstRequestId));
}

/** The schema a bin's choice applies to this body: null when 'auto' recognises nothing. */
export function resolveSchema(choice: SchemaChoice, json: unknown): CheckResult['schema'] {
  if (choice === 'auto') return detectPayloadKind(json);
  if (choice === 'none' || isBuiltinSchemaId(choice)) return choice;
  return 'custom';
}

/**
 * Whether an untrusted value (a bin setting from the API) is a SchemaChoice by shape. A custom
 * schema must still be compiled on the server (compileCustomSchema) before it is accepted.
 */
export function isSchemaChoice(value: unknown): value is SchemaChoice {
  if (value === 'auto' || value === 'none' || isBuiltinSchemaId(value)) return true;
  if (!isJsonObject(value) || !isJsonObject(value.custom)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 || (keys.length === 2 && isSchemaByHeader(value.byHeader));
}

/** Whether an untrusted value is a SchemaByHeader (see types.ts). */
export function isSchemaByHeader(value: unknown): value is SchemaByHeader {
  if (!isJsonObject(value) || Object.keys(value).length !== 2) return false;
  const { header, pointer } = value;
  return (
    typeof header === 'string' &&
    /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(header) &&
    typeof pointer === 'string' &&
    pointer.length <= 500 &&
    /^#\//.test(pointer) &&
    pointer.split('{value}').length === 2
  );
}

/**
 * The JSON Pointer (without '#') a request's headers pick in a custom schema, or undefined when
 * the whole schema applies (no byHeader, the header absent, or a value that is not a plain name).
 */
export function pickedPointer(byHeader: SchemaByHeader | undefined, headers: MultiValueMap): string | undefined {
  if (!byHeader) return undefined;
  const value = headerValue(headers, byHeader.header.toLowerCase())?.trim();
  if (value === undefined || !/^[A-Za-z0-9_.-]{1,100}$/.test(value)) return undefined;
  return byHeader.pointer.slice(1).replace('{value}', value.replaceAll('~', '~0'));
}

/**
 * A Krea job's or LangGraph Run's own `status` (list rows show it), cut to 40 characters; null
 * for other bodies. The server stores it as CheckResult.payloadStatus.
 */
export function payloadStatusOf(schema: CheckResult['schema'], json: unknown): string | null {
  if (schema !== 'krea-job' && schema !== 'langgraph-run') return null;
  return isJsonObject(json) && typeof json.status === 'string' ? json.status.slice(0, 40) : null;
}

function notJson(reason: string): CheckIssue {
  return { path: '', code: 'json.invalid', message: `The body looks like JSON but does not parse: ${reason}.` };
}

function noJson(schema: BuiltinSchemaId | 'custom'): CheckIssue {
  const what = schema === 'custom' ? 'the custom schema' : `a ${schema === 'krea-job' ? 'Krea job' : 'LangGraph Run'}`;
  return { path: '', code: 'json.missing', message: `The bin checks payloads against ${what} but this body is not JSON (or is empty).` };
}
