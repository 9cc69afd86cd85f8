/**
 * JSON Schema validation with ajv (draft 2020-12, with ajv-formats). The built-in schemas are
 * compiled once, when this module loads, in strict mode: a mistake in them fails start-up, not a
 * capture. Users' custom schemas are compiled each in a fresh ajv instance, so their `$id`s cannot
 * collide and nothing of one bin's schema is visible to another.
 */
import { Ajv2020, type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fastFormats } from 'ajv-formats/dist/formats.js';
import { RE2JS, RE2JSSyntaxException } from 're2js';
import type { CheckIssue, SchemaValidator } from '../../shared/checks/types.js';
import { kreaJobSchema, langGraphRunSchema, type BuiltinSchemaId } from '../../shared/schemas/index.js';
import { issuesFromAjv } from './ajv-messages.js';
import { CompiledSchemas } from './schema-cache.js';
import { SchemaBranches } from './closest-branch.js';
import { schemaSource } from './schema-source.js';
import { CheckSkippedError, isStackOverflow, skippedCheck } from './skipped.js';

/**
 * A custom schema larger than this (as JSON text) is refused. Most are a few KiB; a provider's
 * whole published schema is more (GitHub's, every event and action: ~400 KiB minified).
 */
export const MAX_CUSTOM_SCHEMA_BYTES = 1024 * 1024;
/** The key a custom schema without an `$id` is added under, so its subschemas can be referred to. */
const CUSTOM_KEY = 'urn:hookscope:custom';
/** Deeper nesting is refused: ajv compiles recursively, and no real schema comes close. */
export const MAX_CUSTOM_SCHEMA_DEPTH = 64;

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

function createAjv(options: Options): Ajv2020 {
  // allErrors: the user wants every problem at once; verbose: errors carry the offending value,
  // which messages quote; allowUnionTypes: `type: ['string', 'null']` is how the schemas say "or null".
  const ajv = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true, ...options });
  addFormats.default(ajv); // ajv-formats is CommonJS: its default export is on `.default` under NodeNext
  // The full 'uri' check is one enormous regular expression, run on every URL of every payload;
  // the fast one (scheme, then no spaces) is what a webhook check needs. Dates stay fully checked.
  ajv.addFormat('uri', fastFormats.uri!);
  return ajv;
}

/**
 * Patterns of users' schemas run on RE2 (re2js), in time linear in the input: JavaScript's
 * backtracking RegExp can take exponential time on a pattern such as `^(a+)+$`, and the payloads
 * it runs on come from anyone who knows a capture URL, so one request could stall the server.
 * The built-in schemas are ours and keep the native engine.
 */
const linearTimeRegExp = Object.assign((pattern: string) => RE2JS.compile(pattern), { code: 'require("re2js").RE2JS.compile' });

/**
 * How many of a payload's problems ajv collects: 'all' (allErrors: what a person wants to see),
 * or 'first', for large payloads. With allErrors ajv keeps an error object for every failing
 * item, and a few megabytes of `[1,1,1,…]` against `items: { type: 'string' }` make millions of
 * them: gigabytes, more than any heap.
 */
export type ErrorMode = 'all' | 'first';

const BUILTIN_SCHEMAS_BY_ID: Record<BuiltinSchemaId, object> = { 'krea-job': kreaJobSchema, 'langgraph-run': langGraphRunSchema };
const builtinAll = createAjv({ strict: true });
const builtinValidators: Record<BuiltinSchemaId, ValidateFunction> = {
  'krea-job': builtinAll.compile(kreaJobSchema),
  'langgraph-run': builtinAll.compile(langGraphRunSchema),
};
let builtinFirst: Partial<Record<BuiltinSchemaId, ValidateFunction>> | undefined; // compiled on first use (check workers only)

/** Validates a value against a built-in schema: [] when valid, else the problems (at most ~50; one in 'first' mode). */
export function validateBuiltin(id: BuiltinSchemaId, value: unknown, mode: ErrorMode = 'all'): CheckIssue[] {
  if (mode === 'all') return run(builtinValidators[id], value);
  builtinFirst ??= {};
  const validator = (builtinFirst[id] ??= createAjv({ strict: true, allErrors: false }).compile(BUILTIN_SCHEMAS_BY_ID[id]));
  return run(validator, value);
}

export type CompiledSchema =
  /**
   * `validateAt` validates against the subschema at a JSON Pointer into the schema (e.g.
   * '/definitions/issues_event'); undefined when there is none there.
   */
  | { ok: true; validate: (value: unknown, mode?: ErrorMode) => CheckIssue[]; validateAt: (value: unknown, pointer: string) => CheckIssue[] | undefined }
  /** `message` is one sentence for an API error; `issues` point into the schema when it failed the meta-schema. */
  | { ok: false; message: string; issues: CheckIssue[] };

/**
 * Compiles a user's JSON Schema (draft 2020-12). Never throws: a value that is not a usable
 * schema gives `ok: false` with a message saying what is wrong — not an object, too large or too
 * deep, another draft, failing the 2020-12 meta-schema (with the places in `issues`), or not
 * compilable (e.g. a `$ref` hookscope cannot resolve; remote refs are never fetched).
 * Unknown keywords are ignored, as the JSON Schema spec says, so annotations like `example` pass.
 */
export function compileCustomSchema(schema: unknown): CompiledSchema {
  const refused = (message: string, issues: CheckIssue[] = []): CompiledSchema => ({ ok: false, message, issues });
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return refused('A custom schema must be a JSON object (a JSON Schema document).');
  }
  const size = jsonSize(schema);
  if (size === null || size > MAX_CUSTOM_SCHEMA_BYTES) {
    return refused(`The schema is too large (over ${MAX_CUSTOM_SCHEMA_BYTES / 1024} KiB of JSON); split it or trim its descriptions.`);
  }
  if (depth(schema) > MAX_CUSTOM_SCHEMA_DEPTH) {
    return refused(`The schema nests deeper than ${MAX_CUSTOM_SCHEMA_DEPTH} levels; use $defs and $ref instead.`);
  }
  const declared = (schema as { $schema?: unknown }).$schema;
  if (declared !== undefined && (typeof declared !== 'string' || declared.replace(/#$/, '') !== DRAFT_2020_12)) {
    return refused(
      `hookscope checks JSON Schema draft 2020-12, but this schema declares $schema ${JSON.stringify(declared)}. Set "$schema": "${DRAFT_2020_12}" or remove it (most draft-07 schemas work unchanged).`,
    );
  }
  if (!metaValidator().validateSchema(schema)) {
    const issues = issuesFromAjv(metaValidator().errors ?? [], 'The schema');
    const first = issues[0] ? ` ${issues[0].message}` : '';
    return refused(`This is not a valid JSON Schema (draft 2020-12):${first}`, issues);
  }
  // A fresh instance per schema, so $ids cannot collide; it skips the meta-schema check just done
  // (compiling the meta-schemas again in every instance cost ~400 ms per schema).
  const ajv = createAjv({ strict: false, logger: false, validateSchema: false, code: { regExp: linearTimeRegExp } });
  try {
    const id = (schema as { $id?: unknown }).$id;
    const key = typeof id === 'string' ? id : CUSTOM_KEY;
    ajv.addSchema(schema, typeof id === 'string' ? undefined : key);
    const validator = ajv.getSchema(key)!;
    const branches = new SchemaBranches(ajv, key, schema);
    let first: ValidateFunction | undefined; // for large payloads, compiled when one comes
    const firstErrorOnly = () =>
      (first ??= createAjv({ strict: false, logger: false, validateSchema: false, allErrors: false, code: { regExp: linearTimeRegExp } }).compile(schema));
    return {
      ok: true,
      // Large payloads get their first problem only (pointing at a branch needs every error).
      validate: (value, mode = 'all') => (mode === 'all' ? run(validator, value, branches) : run(firstErrorOnly(), value)),
      validateAt: (value, pointer) => {
        const target = branches.at(pointer);
        return target ? run(target, value, branches) : undefined;
      },
    };
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) {
      return refused(
        `A pattern in the schema cannot be used: ${error.message}. hookscope runs patterns in linear time (RE2 syntax), so that no payload can stall it: lookahead, lookbehind and backreferences are not available.`,
      );
    }
    return refused(`The schema could not be compiled: ${(error as Error).message}.`);
  }
}

let meta: Ajv2020 | undefined;

/** One instance that checks users' schemas against the 2020-12 meta-schema, compiled once (on first use). */
function metaValidator(): Ajv2020 {
  return (meta ??= createAjv({ strict: false, logger: false }));
}

// Custom schemas validated in this thread (tests, tools); the server's run on the check workers.
const inProcessSchemas = new CompiledSchemas((schema) => compileCustomSchema(schema));

/**
 * The SchemaValidator that shared/checks' checkPayload takes: built-in ids use the precompiled
 * validators, custom schemas are compiled on first use and cached by content (see
 * CompiledSchemas). A custom schema that does not compile (it should have been refused when it
 * was saved) yields one 'schema.custom_invalid' issue rather than an exception. On the server,
 * custom schemas run on the check workers (check-pool.ts), never on the main thread.
 */
export const validatePayload: SchemaValidator = (schema, value) => {
  if (typeof schema === 'string') return validateBuiltin(schema, value);
  return validateCustom(inProcessSchemas.get(schemaSource(schema.custom)), value);
};

/**
 * Runs a compiled custom schema: [] when valid, else the problems. With `pointer`, against that
 * subschema (schema by header), or against the root with a 'schema.no_subschema' warning issue
 * when the schema has nothing there. Throws CheckSkippedError on a stack overflow.
 */
export function validateCustom(compiled: CompiledSchema, value: unknown, mode: ErrorMode = 'all', pointer?: string): CheckIssue[] {
  if (!compiled.ok) return [{ path: '', code: 'schema.custom_invalid', message: `The bin's custom schema cannot be used: ${compiled.message}` }];
  if (pointer === undefined) return compiled.validate(value, mode);
  const picked = compiled.validateAt(value, pointer);
  if (picked) return picked;
  const notice: CheckIssue = {
    path: '',
    code: 'schema.no_subschema',
    message: `The bin picks its schema by header, but the schema has nothing at #${pointer}: checked against the whole schema.`,
  };
  return [notice, ...compiled.validate(value, mode)];
}

function run(validator: ValidateFunction, value: unknown, branches?: SchemaBranches): CheckIssue[] {
  let valid: boolean;
  try {
    valid = validator(value) as boolean;
  } catch (error) {
    // ajv recurses once per level of a recursive schema: a payload deep enough overflows it.
    if (isStackOverflow(error)) throw new CheckSkippedError(skippedCheck('too_deep', 'the schema recursed deeper into the payload than the stack allows'));
    throw error;
  }
  if (valid) return [];
  const errors = (validator.errors ?? []) as ErrorObject[];
  if (!branches) return issuesFromAjv(errors);
  try {
    return branches.issues(errors, value);
  } catch (error) {
    if (isStackOverflow(error)) throw new CheckSkippedError(skippedCheck('too_deep', 'the schema recursed deeper into the payload than the stack allows'));
    throw error;
  }
}

/** Size of the schema as UTF-8 JSON text, or null when it cannot be serialised (a cycle, a BigInt). */
function jsonSize(value: object): number | null {
  try {
    return Buffer.byteLength(JSON.stringify(value));
  } catch {
    return null;
  }
}

/** Nesting depth of objects and arrays, walked without recursion. */
function depth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, level] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    max = Math.max(max, level);
    if (max > MAX_CUSTOM_SCHEMA_DEPTH) return max;
    for (const child of Object.values(item)) stack.push([child, level + 1]);
  }
  return max;
}
