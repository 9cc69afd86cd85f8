/**
 * Shapes of hookscope's payload checks, shared by the server (which runs them at capture time
 * and on recheck) and the inspector (which shows them).
 */
import type { BuiltinSchemaId } from '../schemas/index.js';
import type {
  checkIssueSchema,
  checkResultSchema,
  genericHmacSchema,
  runTimingSchema,
  schemaByHeaderSchema,
  schemaChoiceSchema,
  SIGNATURE_PROVIDERS,
  SIGNATURE_STATUSES,
  signingSecretSchema,
  skippedCheckSchema,
} from '../wire/checks.js';
import type { Wire } from '../wire/json-schema.js';

export type { BuiltinSchemaId } from '../schemas/index.js';

/**
 * One problem found in a request.
 * - `path` is a JSON Pointer (RFC 6901) into the parsed body: '/result/urls/0', '' for the whole
 *   body. For a missing field it points at the object that lacks it (the field has no place to
 *   point at). Problems with the request rather than the body (token, signature, a duplicate
 *   found by header) use ''.
 * - `code` is stable and machine-readable: 'schema.<ajv keyword>' for schema violations, and for
 *   the rest one of the CHECK_CODES below. Tests, filters and the UI key on it, never on text.
 * - `message` is a sentence for a person: what is wrong and, where it helps, what to do.
 */
export type CheckIssue = Wire<typeof checkIssueSchema>;

/**
 * The stable codes of checks beyond the schema. Which are errors and which warnings is decided in
 * one place per check (semantic.ts, delivery.ts, transport.ts, index.ts), and documented there.
 */
export type CheckCode =
  | 'json.invalid'
  | 'json.missing'
  | 'status.not_terminal'
  | 'time.order'
  | 'krea.no_result_url'
  | 'krea.no_error'
  | 'langgraph.no_error'
  | 'langgraph.error_on_success'
  | 'langgraph.error_null'
  | 'langgraph.trimmed'
  | 'webhook.url_mismatch'
  | 'webhook.token_mismatch'
  | 'id.unexpected'
  | 'delivery.duplicate'
  | 'token.missing'
  | 'token.invalid'
  | 'token.header_missing'
  | 'token.header_invalid'
  | 'signature.invalid'
  | 'signature.expired'
  | 'signature.missing'
  | 'signature.malformed'
  | 'signature.unverified'
  | 'schema.custom_invalid';

/**
 * What a bin checks its payloads against. 'auto' (the default) recognises a Krea job or a
 * LangGraph Run by its fields and checks nothing else; 'none' turns payload checks off (token,
 * signature and duplicate checks still run: they belong to the bin, not the schema); `custom`
 * holds a user's JSON Schema (draft 2020-12), validated as a schema when it was uploaded.
 */
export type SchemaChoice = Wire<typeof schemaChoiceSchema>;

/**
 * Picks the part of a custom schema that checks a request by one of its headers, so one bin
 * checks every event of a provider: `{ header: "x-github-event", pointer: "#/definitions/{value}_event" }`
 * checks a request with `X-GitHub-Event: issues` against `#/definitions/issues_event`. Without
 * the header (or with a value other than letters, digits, `_`, `.`, `-`), the whole schema applies.
 */
export type SchemaByHeader = Wire<typeof schemaByHeaderSchema>;

/**
 * Signature verdict (computed on the server over the raw bytes, for the provider detected from
 * the headers; see SignatureCheck.provider):
 * - 'valid': a signature matches and, for schemes with a timestamp, it is within tolerance;
 * - 'invalid': no signature matches (wrong secret, or the bytes were changed);
 * - 'expired': a signature matches but its timestamp is outside the tolerance (a replay, or a
 *   sender clock off by minutes);
 * - 'missing': the bin has a secret but the request carries no signature header it knows;
 * - 'no_secret': the request is signed but the bin has no secret for that provider;
 * - 'malformed': headers or secret cannot be read (non-numeric timestamp, no `v1` entry, secret
 *   not base64);
 * - 'none': no secret and no signature headers: nothing to verify.
 */
export type SignatureStatus = (typeof SIGNATURE_STATUSES)[number];

export interface SignatureCheck {
  status: SignatureStatus;
  /** Why, for 'malformed' / 'expired' (e.g. 'webhook-timestamp is 3600 s in the past'). */
  detail?: string;
  /**
   * Whose signature scheme the verdict is about: the one detected from the headers, or for
   * 'missing' the first the bin has a secret for. Absent for 'none'.
   */
  provider?: SignatureProviderId;
}

/**
 * The signature schemes hookscope verifies (server/checks/signature-providers.ts): each is
 * detected by its headers. 'hmac' is the generic scheme a bin describes itself (GenericHmac).
 */
export { SIGNATURE_PROVIDERS } from '../wire/checks.js';
export type SignatureProviderId = (typeof SIGNATURE_PROVIDERS)[number];

/**
 * How a sender without a scheme of its own signs, for provider 'hmac': HMAC over `signed` (a
 * template of the raw body `{body}` and, optionally, `{timestamp}`, the value of
 * `timestampHeader`) with the secret's UTF-8 bytes as key, sent in `header` as
 * `<prefix><digest in encoding>`. With a timestamp, one more than `toleranceSeconds` (default
 * 300) from the arrival time is 'expired'.
 */
export type GenericHmac = Wire<typeof genericHmacSchema>;

/**
 * One secret of a bin. A bin may hold several: one per provider, or several of one provider while
 * a key rotates (any one verifying is enough). Standard Webhooks and Svix secrets are
 * `whsec_<base64>`; the others are used as their UTF-8 text, as the senders do.
 */
export type SigningSecret = Wire<typeof signingSecretSchema>;

/** Validates a value against a built-in or custom schema: [] when valid. Injected (ajv lives on the server). */
export type SchemaValidator = (schema: BuiltinSchemaId | { custom: Record<string, unknown> }, value: unknown) => CheckIssue[];

/**
 * Why the payload part of the checks (schema, semantic checks) did not run on a request; its
 * token, signature and header-based duplicate checks still did.
 * - 'too_deep': the body nests deeper than the checks can walk (MAX_JSON_DEPTH), or a recursive
 *   schema went deeper than the stack allows on it;
 * - 'too_large': the body is too large to parse within the memory the checks may use;
 * - 'too_slow': the checks did not finish within their time budget (a few seconds);
 * - 'failed': the checks failed unexpectedly (a bug: the message says what happened).
 */
export type SkippedCheck = Wire<typeof skippedCheckSchema>;

/**
 * The result stored with every captured request and pushed live (shared/wire/checks.ts):
 * - `schema`: what the body was checked against: a built-in id, 'custom', 'none' when the bin
 *   turned payload checks off, or null when 'auto' recognised nothing (the body was not checked);
 * - `valid`: true when the checks ran and found no errors; warnings never make a request
 *   invalid, a skipped check does;
 * - `duplicateOf`: the earlier request of this bin that had the same delivery key;
 * - `deliveryKey`: what identifies this delivery (see delivery.ts), indexed to find duplicates;
 * - `token`, `signature`: the verdicts, when the caller checked them; `signatureProvider`: whose
 *   scheme `signature` is about (see SignatureCheck.provider);
 * - `skipped`: present when the payload checks could not run (the request is stored all the same);
 * - `timing`: a LangGraph Run's timing, from its own timestamps and the arrival time (see RunTiming).
 */
export type CheckResult = Wire<typeof checkResultSchema>;

/**
 * Where a LangGraph Run's time went, in ms: created → started (queued), started → ended (ran),
 * ended → sent (the server's delay before the webhook), sent → received (delivery, including any
 * clock difference between the sender and hookscope). A span is absent when either end is
 * missing or not a date; a negative one means a clock is off (time.order says so).
 */
export type RunTiming = Wire<typeof runTimingSchema>;
