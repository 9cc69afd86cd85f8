import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/**
 * How the wire contract is written: each shape is a JSON Schema (draft 2020-12) in this folder,
 * plain data. From it come the TypeScript types (here, at compile time only), the OpenAPI
 * components (server/api/openapi-components.ts) and the server's request-body validators
 * (server/api/body-validation.ts).
 *
 * Two annotations, beyond JSON Schema, tell the validators how to word a 400 (the OpenAPI
 * document leaves them out):
 * - `x-must`: what a valid value is, completing "<field> must be …"; it words every failure at
 *   or below its node that has no closer `x-must`;
 * - `x-code`: the error code of failures at or below its node (else the route's own).
 */

/** A [name, value] pair: json-schema-to-ts reads no `prefixItems`, so this says what it is. */
type PairPattern = { pattern: { prefixItems: readonly [{ type: 'string' }, { type: 'string' }] }; output: [string, string] };

/** The type of a value valid against schema S, as the server sends it or has validated it (defaults filled in). */
export type Wire<S extends JSONSchema> = FromSchema<S, { deserialize: [PairPattern] }>;

/** What a client may send for S: properties that have a default may be left out. */
export type WireInput<S extends JSONSchema> = FromSchema<S, { keepDefaultedPropertiesOptional: true; deserialize: [PairPattern] }>;

/**
 * A closed object: these properties and no others, the `required` ones always present (the
 * shape most answers have). Both are `const` generics so the schema keeps its literal type and
 * `Wire` / `WireInput` derive the same type as from the object written out.
 */
export function strictObject<const P extends Readonly<Record<string, JSONSchema>>, const R extends readonly (keyof P & string)[]>(properties: P, required: R) {
  return { type: 'object', required, additionalProperties: false, properties } as const;
}

/** A point in time: an ISO 8601 date-time string. */
export const dateTimeSchema = { type: 'string', format: 'date-time' } as const;

/** A [name, value] pair of strings, e.g. a header in the order and case it was sent. */
export const pairSchema = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }], minItems: 2, maxItems: 2 } as const;

/** Repeated query keys and headers keep every value: one value is a string, several an array. */
export const multiValueSchema = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
} as const;

/** The exact body bytes: UTF-8 text when the bytes are valid UTF-8, else base64. */
export const bodyDataSchema = strictObject(
  {
    encoding: { enum: ['utf8', 'base64'] },
    data: { type: 'string' },
    truncated: { type: 'boolean', description: 'Present and true when only the first bytes were returned (bodyLimit, or a bounded response)' },
  },
  ['encoding', 'data'],
);

export const HTTP_TOKEN_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
export const HTTP_TOKEN_MUST = "a valid HTTP token (letters, digits and !#$%&'*+.^_`|~-)";

/** An absolute http(s) URL to deliver to; server/forward/settings.ts checks the rest (scheme, no credentials, no fragment). */
export const targetUrlSchema = {
  type: 'string',
  format: 'uri',
  maxLength: 2048,
  description: 'Absolute http(s) URL, e.g. http://localhost:3000/webhook',
  'x-must': 'an absolute http(s) URL of at most 2048 characters',
  'x-code': 'invalid_target',
} as const;

/** Per try, for the whole exchange. */
export const timeoutMsSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 120000,
  description: 'Milliseconds per try, for the whole exchange (default 30000)',
  'x-must': 'a whole number of milliseconds from 1 to 120000',
  'x-code': 'invalid_timeout',
} as const;
