import type { Config } from '../config.js';
import { HttpError } from '../http-error.js';
import { decideTarget, type TargetRules } from './policy.js';
import { isPublicMode } from '../security/public-mode.js';
import { resolveHost } from './send.js';

type PolicyConfig = Pick<Config, 'forwardPolicy' | 'allowForwardTo' | 'host' | 'assumePublic'>;

/**
 * The rules in force: listening on loopback only is the local developer's case, where any target
 * is fine; listening on any other interface (or --forward-policy strict) means others can make
 * this server send requests, so only public addresses and the --allow-forward-to list are allowed.
 */
export function targetRules(config: PolicyConfig): TargetRules {
  const strict = config.forwardPolicy === 'strict' || isPublicMode(config);
  return { mode: strict ? 'strict' : 'open', allow: config.allowForwardTo };
}

/** The 403 for a refused target, saying why the policy applies and which flag allows it. */
export function targetRefused(config: PolicyConfig, url: URL, refusal: { address: string; reason: string }): HttpError {
  const why =
    config.forwardPolicy === 'strict'
      ? 'it was started with --forward-policy strict'
      : config.assumePublic
        ? 'it was started with --public'
        : `it listens on ${config.host}, beyond loopback`;
  return new HttpError(
    403,
    'target_refused',
    `Refused to send to ${url.host}: ${refusal.reason}. This server sends replays and forwards only to public addresses because ${why}. ` +
      `To allow this target, start hookscope with --allow-forward-to ${refusal.address} (host names, addresses and CIDRs, comma-separated).`,
  );
}

/**
 * Checks a target before anything is sent (a setting being saved, a replay about to start): a
 * 403 when the policy refuses it. A name that does not resolve now is let through; the delivery
 * will report the DNS failure, and every delivery checks again on the address it connects to.
 */
export async function assertTargetAllowed(config: PolicyConfig, url: URL): Promise<void> {
  const rules = targetRules(config);
  if (rules.mode === 'open') return;
  const addresses = await resolveHost(url.hostname).catch(() => null);
  if (!addresses) return;
  const decision = decideTarget(
    addresses.map((a) => a.address),
    rules,
    url.hostname,
  );
  if (!decision.allowed) throw targetRefused(config, url, decision);
}
