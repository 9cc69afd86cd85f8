import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { ErrorCode } from '../../shared/wire/errors.js';
import { API_ROUTES, type RouteContract, type RouteKey, type ValidBodyOf } from '../../shared/wire/routes.js';
import { fieldLabel, HttpError, preview } from '../http-error.js';

/**
 * Checks request bodies against the contract's JSON Schemas (shared/wire/) and turns the first
 * problem into a 400 that names the field and says what it must be, in the words of the
 * schema's `x-must` annotations (shared/wire/json-schema.ts), or in words made from the schema
 * itself (type, bounds, allowed values). What a schema cannot say (a URL's scheme, a secret's
 * encoding, rules across fields, defaults) is the callers' hand code.
 *
 * Validation only reads the body: no `useDefaults`, `coerceTypes` or `removeAdditional`, so an
 * untrusted object (which may hold a `__proto__` key of its own) is never written to. Formats
 * (uri, uuid, date-time) document; the hand checks after validation (e.g. parseTargetUrl) decide.
 */
const ajv = new Ajv2020({ allErrors: true, strict: true, strictNumbers: true, validateFormats: false });
ajv.addKeyword({ keyword: 'x-must', schemaType: 'string' });
ajv.addKeyword({ keyword: 'x-code', schemaType: 'string' });

/** A route of the contract that takes a JSON body. */
export type BodyRoute = { [K in RouteKey]: (typeof API_ROUTES)[K] extends { body: object } ? K : never }[RouteKey];

/** Checks one route's body: the body, typed, or a 400 HttpError naming the first field that is wrong. */
export type BodyValidator<T> = (value: unknown) => T;

/**
 * One validator per route with a body, compiled when this module loads (at server start): a
 * compile takes milliseconds that a first request should not wait for. Read it by route key:
 * `BODY['POST /api/bins'](value)`.
 */
export const BODY = compileBodies();

function compileBodies(): { readonly [K in BodyRoute]: BodyValidator<ValidBodyOf<K>> } {
  const bySchema = new Map<object, BodyValidator<unknown>>(); // POST and PATCH of a bin share one
  const validators = new Map<string, BodyValidator<unknown>>();
  for (const [key, contract] of Object.entries(API_ROUTES) as [string, RouteContract][]) {
    const schema = contract.body as object | undefined;
    if (!schema) continue;
    if (!bySchema.has(schema)) bySchema.set(schema, validatorOf(schema));
    validators.set(key, bySchema.get(schema)!);
  }
  return Object.freeze(Object.fromEntries(validators)) as { readonly [K in BodyRoute]: BodyValidator<ValidBodyOf<K>> };
}

function validatorOf(schema: object): BodyValidator<unknown> {
  const validate: ValidateFunction = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return value;
    throw describeErrors(schema, validate.errors ?? []);
  };
}

interface Step {
  node: Record<string, unknown>;
  /** Where in the body this node applies, as a path (`forward.target`, `rules[0]`). */
  path: string;
  /** Set after a `propertyNames` step: the failure is about this property's name. */
  propertyName?: string;
}

const AGGREGATES = new Set(['oneOf', 'anyOf', 'allOf', 'propertyNames', 'if', 'not']);

function describeErrors(root: object, errors: ErrorObject[]): HttpError {
  const error = errors.find((e) => !AGGREGATES.has(e.keyword)) ?? errors[0]!;
  const steps = walk(root, error);
  const code = (findLast(steps, (step) => typeof step.node['x-code'] === 'string')?.node['x-code'] as ErrorCode | undefined) ?? 'invalid_body';
  return new HttpError(400, code, message(error, steps, errors));
}

function message(error: ErrorObject, steps: Step[], errors: ErrorObject[]): string {
  const last = steps[steps.length - 1]!;
  const must = findLast(steps, (step) => typeof step.node['x-must'] === 'string');
  if (error.keyword === 'additionalProperties')
    return unknownFields(
      last,
      errors.filter((e) => e.keyword === error.keyword && e.schemaPath === error.schemaPath && e.instancePath === error.instancePath),
    );
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    const property = (last.node.properties as Record<string, Record<string, unknown>> | undefined)?.[missing];
    const path = join(last.path, missing);
    if (typeof property?.['x-must'] === 'string') return `${fieldLabel(path)} must be ${property['x-must']}.`;
    if (must) return mustBe(must);
    const expected = property && describe(property);
    return expected ? `${fieldLabel(path)} must be ${expected}.` : `${fieldLabel(last.path)} needs "${missing}".`;
  }
  if (must) return mustBe(must);
  const label = labelOf(last);
  const limit = error.params.limit as number;
  if (error.keyword === 'maxItems' || error.keyword === 'maxProperties') return `${label} has more than ${limit} entries.`;
  if (error.keyword === 'minItems') return `${label} must have at least ${limit} ${limit === 1 ? 'entry' : 'entries'}.`;
  return `${label} must be ${describe(last.node) ?? `valid: ${error.message ?? 'see /api/openapi.json'}`}.`;
}

function mustBe(step: Step): string {
  return `${labelOf(step)} must be ${step.node['x-must'] as string}.`;
}

function labelOf(step: Step): string {
  const label = fieldLabel(step.path);
  return step.propertyName === undefined ? label : `${label} name "${preview(step.propertyName)}"`;
}

function unknownFields(at: Step, errors: ErrorObject[]): string {
  const names = [...new Set(errors.map((e) => String(e.params.additionalProperty)))].map((name) => preview(name));
  const known = listed(Object.keys((at.node.properties as object | undefined) ?? {}));
  const quoted = names.map((name) => `"${name}"`).join(', ');
  const fields = names.length > 1 ? 'fields' : 'field';
  if (at.path === '') return `Unknown ${fields} ${quoted}: remove ${names.length > 1 ? 'them' : 'it'}, or use ${known}.`;
  return `${fieldLabel(at.path)} has unknown ${fields} ${quoted}: remove ${names.map((name) => join(at.path, name)).join(', ')}, or use ${known}.`;
}

/** What a schema node accepts, in words ("a whole number from 1 to 10", "null or a string of at most 200 characters"); undefined when it says nothing plain. */
function describe(node: Record<string, unknown>): string | undefined {
  if (Array.isArray(node.enum)) return `one of ${node.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`;
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.type === undefined) return undefined;
  const types = (Array.isArray(node.type) ? node.type : [node.type]) as string[];
  const words = types.map((type) => TYPE_WORDS[type]?.(node) ?? type);
  return words.sort((a, b) => Number(b === 'null') - Number(a === 'null')).join(' or ');
}

const bounds = (node: Record<string, unknown>, min: string, max: string, unit = '') => {
  const [low, high] = [node[min], node[max]] as [number | undefined, number | undefined];
  if (low !== undefined && high !== undefined) return ` ${low === high ? `of exactly ${low}` : `from ${low} to ${high}`}${unit}`;
  if (high !== undefined) return ` of at most ${high}${unit}`;
  return low !== undefined ? ` of at least ${low}${unit}` : '';
};

const TYPE_WORDS: Record<string, (node: Record<string, unknown>) => string> = {
  integer: (node) => `a whole number${bounds(node, 'minimum', 'maximum')}`,
  number: (node) => `a number${bounds(node, 'minimum', 'maximum')}`,
  string: (node) => `a string${bounds(node, 'minLength', 'maxLength', ' characters').replace(/^ from (\d+) to/, ' of $1 to')}`,
  boolean: () => 'true or false',
  object: () => 'an object',
  array: () => 'an array',
  null: () => 'null',
};

/**
 * The schema nodes an error's schemaPath passes through, from the root to the node holding the
 * failing keyword, each with the place in the body it applies to.
 */
function walk(root: object, error: ErrorObject): Step[] {
  const segments = error.schemaPath
    .split('/')
    .slice(1)
    .map((segment) => unescape(decodeURIComponent(segment))); // ajv URI-encodes schema paths
  const instance = error.instancePath.split('/').slice(1).map(unescape);
  let step: Step = { node: root as Record<string, unknown>, path: '' };
  const steps = [step];
  for (let i = 0; i < segments.length - 1; i++) {
    const keyword = segments[i]!;
    let node = step.node[keyword] as Record<string, unknown>;
    let { path } = step;
    let { propertyName } = step;
    if (keyword === 'properties' || keyword === 'patternProperties') {
      node = node[segments[++i]!] as Record<string, unknown>;
      path = join(path, instance.shift()!);
    } else if (keyword === 'oneOf' || keyword === 'anyOf' || keyword === 'allOf') {
      node = node[segments[++i]!] as Record<string, unknown>;
    } else if (keyword === 'prefixItems') {
      node = node[segments[++i]!] as Record<string, unknown>;
      path = `${path}[${instance.shift()}]`;
    } else if (keyword === 'items') {
      path = `${path}[${instance.shift()}]`;
    } else if (keyword === 'additionalProperties') {
      path = join(path, instance.shift()!);
    } else if (keyword === 'propertyNames') {
      propertyName = String(error.propertyName ?? '');
    }
    step = { node, path, ...(propertyName === undefined ? {} : { propertyName }) };
    steps.push(step);
  }
  return steps;
}

function join(path: string, name: string): string {
  const shown = preview(name, 60);
  return path === '' ? shown : `${path}.${shown}`;
}

function listed(names: string[]): string {
  if (names.length === 0) return 'no other field';
  return names.length === 1 ? `only ${names[0]}` : `one of ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A JSON Pointer segment as the name it stands for. */
function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function findLast<T>(items: T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return items[i];
  return undefined;
}
