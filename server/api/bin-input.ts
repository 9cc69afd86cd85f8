import { isSchemaChoice } from '../../shared/checks/index.js';
import { parseSigningSecret } from '../checks/signature.js';
import type { CheckPool } from '../checks/check-pool.js';
import { parseSigningSecrets, SigningSecretsError } from '../checks/signing-secrets.js';
import type { SigningSecret } from '../../shared/checks/types.js';
import { schemaSource } from '../checks/schema-source.js';
import { parseForwardSetting, parseTargetUrl } from '../forward/settings.js';
import { HttpError } from '../http-error.js';
import { parseResponseSettings } from '../responses/validate.js';
import type { StoredBin } from '../store/types.js';

type BinSettings = Partial<Pick<StoredBin, 'name' | 'token' | 'requireToken' | 'schema' | 'signingSecret' | 'signingSecrets' | 'forward' | 'replayTarget' | 'responses'>>;

const KNOWN_FIELDS = new Set(['name', 'token', 'requireToken', 'schema', 'signingSecret', 'signingSecrets', 'forward', 'replayTarget', 'responses']);
const MAX_NAME = 200;
const MAX_TOKEN = 256;

/**
 * Validates the settings in a create or update body. Only fields present are returned, so the
 * result can be merged over a bin's current settings. Unknown fields are refused rather than
 * silently ignored, so a typo does not look like success.
 */
export function parseBinSettings(body: Record<string, unknown>): BinSettings {
  const unknown = Object.keys(body).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) throw invalid(`Unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; a bin has name, token, requireToken, schema, signingSecret, signingSecrets, forward, replayTarget and responses.`);
  const settings: BinSettings = {};
  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || body.name.length > MAX_NAME) throw invalid(`"name" must be a string of at most ${MAX_NAME} characters.`);
    settings.name = body.name.trim();
  }
  if (body.token !== undefined) {
    const token = body.token;
    if (token !== null && (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN || /[\s\x00-\x1f\x7f]/.test(token))) {
      throw invalid(`"token" must be null or a string of 1 to ${MAX_TOKEN} characters without spaces or control characters.`);
    }
    settings.token = token;
  }
  if (body.requireToken !== undefined) {
    if (typeof body.requireToken !== 'boolean') throw invalid('"requireToken" must be true or false.');
    settings.requireToken = body.requireToken;
  }
  if (body.schema !== undefined) settings.schema = parseSchemaChoice(body.schema);
  if (body.signingSecret !== undefined) {
    const secret = body.signingSecret;
    if (secret !== null && (typeof secret !== 'string' || !secret.startsWith('whsec_') || !parseSigningSecret(secret))) {
      throw invalid('"signingSecret" must be null or a Standard Webhooks secret: whsec_ followed by base64 (as your sender shows it).');
    }
    settings.signingSecret = secret;
  }
  if (body.signingSecrets !== undefined) settings.signingSecrets = parseSecretsSetting(body.signingSecrets);
  if (body.forward !== undefined) settings.forward = parseForwardSetting(body.forward);
  if (body.replayTarget !== undefined) settings.replayTarget = body.replayTarget === null ? null : parseTargetUrl(body.replayTarget, 'replayTarget').href;
  if (body.responses !== undefined) settings.responses = parseResponseSettings(body.responses);
  return settings;
}

/** 'auto', 'none', a built-in schema id, or { custom: <an object> } (assertSchemaCompiles then checks the schema). */
export function parseSchemaChoice(value: unknown): StoredBin['schema'] {
  if (!isSchemaChoice(value)) {
    throw invalid('"schema" must be "auto", "krea-job", "langgraph-run", "none", or { "custom": <a JSON Schema, draft 2020-12> } with optionally "byHeader": { "header": "x-github-event", "pointer": "#/definitions/{value}_event" }.');
  }
  return value;
}

/**
 * Compiles a custom schema on a check worker (compiling one can take seconds), which leaves it
 * compiled in that worker's cache for the captures that follow. 400 when it is not a usable
 * schema or does not compile within the check budget; nothing to do for the other choices.
 */
export async function assertSchemaCompiles(pool: CheckPool, choice: StoredBin['schema'] | undefined): Promise<void> {
  if (typeof choice !== 'object') return;
  const source = schemaSource(choice.custom);
  const outcome = await pool.run({ kind: 'compile', source }, source.hash);
  if (!outcome.ok) throw new HttpError(400, 'invalid_schema', `The custom schema could not be compiled: ${outcome.why}. Simplify it (fewer or smaller subschemas).`);
  if (!outcome.value.ok) throw new HttpError(400, 'invalid_schema', `The custom schema is not a valid JSON Schema: ${outcome.value.message}`);
}

/** Checks the merged settings make sense together. */
export function assertConsistent(bin: Pick<StoredBin, 'token' | 'requireToken'>): void {
  if (bin.requireToken && bin.token === null) throw invalid('"requireToken" needs a "token": set one, or leave requireToken false.');
}

function parseSecretsSetting(value: unknown): SigningSecret[] {
  try {
    return parseSigningSecrets(value);
  } catch (error) {
    if (error instanceof SigningSecretsError) throw invalid(error.message);
    throw error;
  }
}

function invalid(message: string): HttpError {
  return new HttpError(400, 'invalid_bin', message);
}
