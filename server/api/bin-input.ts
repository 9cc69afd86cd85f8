import type { ValidBodyOf } from '../../shared/wire/routes.js';
import { parseSigningSecret } from '../checks/signature.js';
import type { CheckPool } from '../checks/check-pool.js';
import { schemaSource } from '../checks/schema-source.js';
import { checkForwardSetting, parseTargetUrl } from '../forward/settings.js';
import { HttpError } from '../http-error.js';
import { checkResponseSettings } from '../responses/validate.js';
import type { StoredBin } from '../store/types.js';

type BinSettings = Partial<Pick<StoredBin, 'name' | 'token' | 'requireToken' | 'schema' | 'signingSecret' | 'forward' | 'replayTarget' | 'responses'>>;

/**
 * The settings in a create or update body, checked against the contract's schema (unknown fields
 * are refused, so a typo does not look like success) and then by the rules it cannot say. Only
 * fields present are returned, so the result can be merged over a bin's current settings.
 */
export function parseBinSettings(input: ValidBodyOf<'POST /api/bins'>): BinSettings {
  const { responses, forward, replayTarget, signingSecret, name, ...rest } = input;
  const settings: BinSettings = rest;
  if (name !== undefined) settings.name = name.trim();
  if (signingSecret !== undefined) {
    if (signingSecret !== null && !parseSigningSecret(signingSecret)) {
      throw new HttpError(400, 'invalid_bin', '"signingSecret" must be null or a Standard Webhooks secret: whsec_ followed by base64 (as your sender shows it).');
    }
    settings.signingSecret = signingSecret;
  }
  if (forward !== undefined) settings.forward = forward === null ? null : checkForwardSetting(forward);
  if (replayTarget !== undefined) settings.replayTarget = replayTarget === null ? null : parseTargetUrl(replayTarget, 'replayTarget').href;
  if (responses !== undefined) settings.responses = checkResponseSettings(responses);
  return settings;
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

function invalid(message: string): HttpError {
  return new HttpError(400, 'invalid_bin', message);
}
