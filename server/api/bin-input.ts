import type { ValidBodyOf } from '../../shared/wire/routes.js';
import { parseSigningSecret } from '../checks/signature.js';
import type { CheckPool } from '../checks/check-pool.js';
import { parseSigningSecrets, SigningSecretsError } from '../checks/signing-secrets.js';
import type { SigningSecret } from '../../shared/checks/types.js';
import { schemaSource } from '../checks/schema-source.js';
import { checkForwardSetting, parseTargetUrl } from '../forward/settings.js';
import { HttpError } from '../http-error.js';
import { checkResponseSettings } from '../responses/validate.js';
import type { StoredBin } from '../store/types.js';

type BinSettings = Partial<
  Pick<StoredBin, 'name' | 'token' | 'requireToken' | 'secretHeader' | 'schema' | 'signingSecret' | 'signingSecrets' | 'forward' | 'replayTarget' | 'responses'>
>;

/**
 * The settings in a create or update body, checked against the contract's schema (unknown fields
 * are refused, so a typo does not look like success) and then by the rules it cannot say. Only
 * fields present are returned, so the result can be merged over a bin's current settings.
 */
export function parseBinSettings(input: ValidBodyOf<'POST /api/bins'>): BinSettings {
  const { responses, forward, replayTarget, signingSecret, signingSecrets, name, secretHeader, ...rest } = input;
  const settings: BinSettings = rest;
  if (name !== undefined) settings.name = name.trim();
  if (secretHeader !== undefined) settings.secretHeader = secretHeader === null ? null : checkSecretHeader(secretHeader);
  if (signingSecret !== undefined) {
    if (signingSecret !== null && !parseSigningSecret(signingSecret)) {
      throw new HttpError(
        400,
        'invalid_bin',
        '"signingSecret" must be null or a Standard Webhooks secret: whsec_ followed by base64 (as your sender shows it).',
      );
    }
    settings.signingSecret = signingSecret;
  }
  if (signingSecrets !== undefined) settings.signingSecrets = parseSecretsSetting(signingSecrets);
  if (forward !== undefined) settings.forward = forward === null ? null : checkForwardSetting(forward);
  if (replayTarget !== undefined) settings.replayTarget = replayTarget === null ? null : parseTargetUrl(replayTarget, 'replayTarget').href;
  if (responses !== undefined) settings.responses = checkResponseSettings(responses);
  return settings;
}

/** Header names as HTTP defines them (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Headers that describe the connection or the body, which a sender cannot set as a secret. */
const NOT_SECRET = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'te', 'trailer', 'upgrade', 'expect']);
const MAX_HEADER_VALUE = 1024;

/** A header name that can carry a secret, and a visible-ASCII value (spaces inside only). */
function checkSecretHeader({ name, value }: { name: string; value: string }): NonNullable<StoredBin['secretHeader']> {
  if (!HEADER_NAME.test(name) || NOT_SECRET.has(name.toLowerCase())) {
    throw invalid(`"secretHeader.name" must be a header name (letters, digits, - and the like, up to 100) other than ${[...NOT_SECRET].join(', ')}.`);
  }
  if (value.length === 0 || value.length > MAX_HEADER_VALUE || !/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value)) {
    throw invalid(
      `"secretHeader.value" must be 1 to ${MAX_HEADER_VALUE} visible ASCII characters, spaces only inside (HTTP trims them at the ends), e.g. "Bearer s3cr3t".`,
    );
  }
  return { name, value };
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
  if (!outcome.ok)
    throw new HttpError(400, 'invalid_schema', `The custom schema could not be compiled: ${outcome.why}. Simplify it (fewer or smaller subschemas).`);
  if (!outcome.value.ok) throw new HttpError(400, 'invalid_schema', `The custom schema is not a valid JSON Schema: ${outcome.value.message}`);
}

/** Checks the merged settings make sense together. */
export function assertConsistent(bin: Pick<StoredBin, 'token' | 'requireToken' | 'secretHeader'>): void {
  if (bin.requireToken && bin.token === null && !bin.secretHeader)
    throw invalid('"requireToken" needs a "token" or a "secretHeader": set one, or leave requireToken false.');
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
