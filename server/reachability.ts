import type { Config } from './config.js';
import { parseIp } from './outbound/ip.js';
import { isLoopbackHost, refusedKind } from './outbound/policy.js';
import { waysOut, type Reachability, type ReachabilityReason } from '../shared/reachability.js';

/** What one API call saw of where it arrived: the origin capture URLs would use, and the local port. */
export interface ArrivalPoint {
  /** `${protocol}://${host}` of the request (the Host header, or X-Forwarded-* with --trust-proxy). */
  origin: string;
  /** The port the connection arrived on: this server's real port, also with --port 0. */
  localPort: number;
}

type HostKind = 'loopback' | 'private' | 'public';

/** Names that only resolve on a LAN (mDNS, home routers, split DNS), and single-label names. */
const LAN_SUFFIXES = ['.local', '.lan', '.internal', '.home.arpa', '.localdomain', '.intranet'];

/**
 * How far a host name or address reaches. Addresses are judged by their range (the same table
 * the forward policy uses); names by their shape only (no DNS lookup: a status call stays fast
 * and says nothing untrue about a name it did not resolve): `localhost` and `*.localhost` are
 * loopback, LAN-only suffixes and names without a dot private, anything else public.
 */
export function hostKind(hostname: string): HostKind {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (isLoopbackHost(host) || host.endsWith('.localhost')) return 'loopback';
  const bytes = parseIp(host);
  if (bytes) return refusedKind(bytes) === null ? 'public' : 'private';
  if (!host.includes('.') || LAN_SUFFIXES.some((suffix) => host.endsWith(suffix))) return 'private';
  return 'public';
}

/** Where a tunnel or relay on this machine reaches the server, for the ways out. */
function localOrigin(bindHost: string, port: number): string {
  const host = bindHost.replace(/^\[|\]$/g, '');
  if (['127.0.0.1', 'localhost', '0.0.0.0', '::', ''].includes(host.toLowerCase())) return `http://localhost:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Judges whether the capture URLs handed to this caller can be reached from other machines:
 * from --capture-origin or --public-url when set, else from the origin the caller used (as
 * capture URLs are built) and the address hookscope listens on. Never throws.
 */
export function judgeReachability(config: Pick<Config, 'host' | 'publicUrl' | 'captureOrigin'>, arrival: ArrivalPoint): Reachability {
  const configured = config.captureOrigin ?? config.publicUrl;
  const origin = configured ?? arrival.origin;
  const flag = config.captureOrigin ? '--capture-origin' : '--public-url';
  const hostname = hostOf(origin);
  const kind = hostKind(hostname);
  const local = localOrigin(config.host, arrival.localPort);
  const verdict = (reachable: boolean, reason: ReachabilityReason, message: string): Reachability => ({
    reachable,
    reason,
    message,
    origin,
    localOrigin: local,
    port: arrival.localPort,
    waysOut: reachable ? [] : waysOut(local, arrival.localPort),
  });
  if (configured !== null) {
    if (kind === 'public') return verdict(true, 'public-url', `Capture URLs use ${flag} (${origin}).`);
    if (kind === 'loopback') return verdict(false, 'loopback-url', `${flag} names ${hostname}, a loopback host: only this machine can reach capture URLs.`);
    return verdict(
      false,
      'private-address',
      `${flag} names ${hostname}, a private or LAN-only host: your own network can reach capture URLs, Krea's cloud and other outside senders cannot.`,
    );
  }
  if (kind === 'public')
    return verdict(
      true,
      'request-host',
      `Capture URLs use the address you reached hookscope on (${hostname}): senders reach them if they can reach that address.`,
    );
  if (isLoopbackHost(config.host)) {
    return verdict(
      false,
      'loopback-bind',
      `hookscope listens on ${config.host} only and has no --public-url: capture URLs work from this machine, but Krea's cloud and other machines cannot reach them.`,
    );
  }
  if (kind === 'loopback') {
    return verdict(
      false,
      'loopback-url',
      `You opened hookscope on ${hostname}, so capture URLs name it: only this machine can reach them. Open the inspector on this machine's address, or set --public-url.`,
    );
  }
  return verdict(
    false,
    'private-address',
    `Capture URLs use ${hostname}, a private or LAN-only address: your own network can reach them, Krea's cloud and other outside senders cannot.`,
  );
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    return origin; // a Host header URL cannot parse: judged as the raw text (it will not look public)
  }
}
