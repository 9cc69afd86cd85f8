import { inCidr, parseCidr, parseIp, type Cidr, type IpBytes } from './ip.js';

/**
 * Which targets hookscope may send replays and forwards to. The decision is a pure function over
 * the addresses a target resolved to; the sender connects only to addresses it allowed, so a
 * name that resolves differently the second time (DNS rebinding) gains nothing.
 */
export interface TargetRules {
  /** 'open' allows every address; 'strict' refuses non-public ones unless `allow` lists them. */
  mode: 'open' | 'strict';
  /** --allow-forward-to entries: host names, addresses or CIDRs. */
  allow: readonly string[];
}

export type TargetDecision = { allowed: true; addresses: string[] } | { allowed: false; address: string; reason: string };

const REFUSED: { cidr: Cidr; kind: string }[] = [
  ['169.254.169.254', 'a cloud metadata address'],
  ['fd00:ec2::254', 'a cloud metadata address'],
  ['0.0.0.0/8', 'an unspecified address'],
  ['::/128', 'an unspecified address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['::1', 'a loopback address'],
  ['10.0.0.0/8', 'a private address'],
  ['172.16.0.0/12', 'a private address'],
  ['192.168.0.0/16', 'a private address'],
  ['100.64.0.0/10', 'a shared (carrier-grade NAT) address'],
  ['fc00::/7', 'a private (unique local) address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['fe80::/10', 'a link-local address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['ff00::/8', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
  ['::/96', 'an IPv4-compatible IPv6 address'],
].map(([cidr, kind]) => ({ cidr: parseCidr(cidr!)!, kind: kind! }));

/** NAT64 addresses carry an IPv4 address in their last 32 bits; that address is what is judged. */
const NAT64 = parseCidr('64:ff9b::/96')!;

/**
 * Judges the addresses a target host resolved to. Allowed addresses are returned (the only ones
 * the sender may connect to); refused when none is left, naming the first refused address and
 * why. `hostname` lets an --allow-forward-to host name admit all of that host's addresses.
 */
export function decideTarget(addresses: readonly string[], rules: TargetRules, hostname = ''): TargetDecision {
  if (addresses.length === 0) return { allowed: false, address: hostname, reason: 'it resolved to no address' };
  if (rules.mode === 'open' || hostAllowed(hostname, rules.allow)) return { allowed: true, addresses: [...addresses] };
  const allowCidrs = rules.allow.flatMap((entry) => parseCidr(entry) ?? []);
  const allowed: string[] = [];
  let refusal: { address: string; reason: string } | null = null;
  for (const address of addresses) {
    const bytes = parseIp(address);
    const kind = bytes ? refusedKind(bytes) : 'not an IP address';
    if (kind === null || (bytes && allowCidrs.some((cidr) => inCidr(bytes, cidr)))) allowed.push(address);
    else refusal ??= { address, reason: `${address} is ${kind}` };
  }
  return allowed.length > 0 ? { allowed: true, addresses: allowed } : { allowed: false, ...refusal! };
}

/** Why an address is not public ('a loopback address', …), or null when it is. */
export function refusedKind(address: IpBytes): string | null {
  if (inCidr(address, NAT64)) return refusedKind(parseIp(address.subarray(12).join('.'))!);
  return REFUSED.find((rule) => inCidr(address, rule.cidr))?.kind ?? null;
}

/** True when `host` (a name or an address) is loopback: listening there keeps hookscope local. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const bytes = parseIp(host);
  return bytes !== null && refusedKind(bytes) === 'a loopback address';
}

/** An --allow-forward-to entry in canonical form (lower-case host, or the CIDR as given); null when invalid. */
export function normaliseAllowEntry(entry: string): string | null {
  const trimmed = entry.trim().toLowerCase().replace(/\.$/, '');
  if (parseCidr(trimmed)) return trimmed;
  return /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(trimmed) ? trimmed : null;
}

function hostAllowed(hostname: string, allow: readonly string[]): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');
  return host !== '' && parseIp(host) === null && allow.includes(host);
}
