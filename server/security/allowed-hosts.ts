import os from 'node:os';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';
import { parseIp } from '../outbound/ip.js';
import { isLoopbackHost } from '../outbound/policy.js';

/** A Host header (or an origin's host) split: lower-case name or address (no brackets), port or ''. */
export interface Authority {
  hostname: string;
  port: string;
}

export type HostVerdict = { ok: true } | { ok: false; code: 'host_not_allowed' | 'capture_host'; message: string };

/**
 * Which Host names the inspector, API and WebSocket answer under (DNS rebinding defence, as
 * Jupyter and Vite's server.allowedHosts do): a page on an attacker's name that resolves to
 * this server reaches it with that name in Host, and is refused. Allowed:
 *   - loopback names and addresses (localhost, *.localhost, 127.0.0.0/8, ::1), any port;
 *   - the host of --public-url, and each --allowed-hosts entry (`.example.com`: it and its subdomains);
 *   - listening on one address or name beyond loopback (--host 192.168.1.5): that one;
 *   - listening on every address (--host 0.0.0.0 or ::): any IP address (a browser sends an
 *     address in Host only when it was told the address, never after a DNS answer, so rebinding
 *     cannot produce one; Vite does the same) and the machine's own name (os.hostname()).
 * `--allowed-hosts all` switches the check off. The host of --capture-origin is always refused:
 * it serves capture URLs only. Capture URLs never reach this check.
 */
export class HostRules {
  readonly #all: boolean;
  readonly #names = new Set<string>();
  readonly #domains: string[] = [];
  readonly #addresses = new Set<string>();
  readonly #anyAddress: boolean;
  readonly #captureHost: string | null;
  readonly #publicOrigin: string | null;

  constructor(config: Pick<Config, 'host' | 'publicUrl' | 'allowedHosts' | 'captureOrigin'>, machineName = os.hostname()) {
    this.#all = config.allowedHosts === 'all';
    this.#publicOrigin = config.publicUrl === null ? null : new URL(config.publicUrl).origin;
    this.#captureHost = config.captureOrigin === null ? null : bare(new URL(config.captureOrigin).hostname);
    const wildcard = isWildcard(config.host);
    this.#anyAddress = wildcard;
    const entries = [...(config.allowedHosts === 'all' ? [] : config.allowedHosts)];
    if (config.publicUrl !== null) entries.push(bare(new URL(config.publicUrl).hostname));
    if (!wildcard && !isLoopbackHost(config.host)) entries.push(config.host.toLowerCase());
    if (wildcard && machineName) entries.push(machineName.toLowerCase());
    for (const entry of entries) this.#add(entry);
  }

  /** Whether the inspector, API or WebSocket may answer a request that named `host` (null: no valid Host). */
  check(host: Authority | null): HostVerdict {
    if (host !== null && this.#captureHost !== null && sameHostname(host.hostname, this.#captureHost)) {
      return {
        ok: false,
        code: 'capture_host',
        message: `${host.hostname} serves capture URLs only (--capture-origin): use the inspector's own host name for the inspector, the API, /ws and hookscope forward (its /h/<binId> URLs work there too).`,
      };
    }
    if (this.#all || (host !== null && this.#allows(host.hostname))) return { ok: true };
    const named = host === null ? 'a request without a valid Host header' : `the host name "${host.hostname}"`;
    return {
      ok: false,
      code: 'host_not_allowed',
      message: `This hookscope does not answer to ${named}: a page on another name could be one that resolves to this server (DNS rebinding). If the name is yours, start hookscope with --allowed-hosts ${host?.hostname ?? '<name>'} (or --public-url). Capture URLs (/h/…) work under any host name.`,
    };
  }

  /**
   * Whether `origin` (an Origin header) is this server as the request reached it: same host
   * name and port as the Host it named, or the origin of --public-url (for a proxy that
   * rewrites Host). `null` (sandboxed or privacy-sensitive contexts) and anything else is foreign.
   */
  isSameOrigin(origin: string, host: Authority | null): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (this.#publicOrigin !== null && url.origin === this.#publicOrigin) return true;
    if (host === null || !sameHostname(bare(url.hostname), host.hostname)) return false;
    const originPort = url.port || (url.protocol === 'https:' ? '443' : '80');
    return host.port === '' ? url.port === '' : host.port === originPort;
  }

  #allows(hostname: string): boolean {
    if (hostname === '') return false;
    if (hostname === 'localhost' || hostname.endsWith('.localhost') || isLoopbackHost(hostname)) return true;
    const address = addressKey(hostname);
    if (address !== null) return this.#anyAddress || this.#addresses.has(address);
    return this.#names.has(hostname) || this.#domains.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));
  }

  #add(entry: string): void {
    const address = addressKey(entry);
    if (address !== null) this.#addresses.add(address);
    else if (entry.startsWith('.')) this.#domains.push(entry.slice(1));
    else this.#names.add(entry.replace(/\.$/, ''));
  }
}

/**
 * The host a request named: the Host header, or behind a trusted proxy (--trust-proxy) its
 * X-Forwarded-Host, as Koa's ctx.host reads it. Null when missing or not a valid host.
 */
export function requestAuthority(req: IncomingMessage, trustProxy: boolean): Authority | null {
  const forwarded = trustProxy ? req.headers['x-forwarded-host'] : undefined;
  const value = (typeof forwarded === 'string' && forwarded.trim() !== '' ? forwarded.split(',')[0] : req.headers.host) ?? '';
  return parseAuthority(value);
}

/** Parses "name", "name:8080", "1.2.3.4:80", "[::1]:8080"; null for anything else (userinfo, paths, spaces…). */
export function parseAuthority(value: string): Authority | null {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9_.-]+))(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match) return null;
  return { hostname: (match[1] ?? match[2]!).toLowerCase().replace(/\.$/, ''), port: match[3] ?? '' };
}

function bare(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/** 0.0.0.0, :: and their other spellings: listening on every address. */
function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || parseIp(host)?.every((byte) => byte === 0) === true;
}

/** An IP address in one canonical form (so ::1 and 0:0:0:0:0:0:0:1 compare equal); null for names. */
function addressKey(text: string): string | null {
  return parseIp(text)?.join('.') ?? null;
}

function sameHostname(a: string, b: string): boolean {
  if (a === b) return true;
  const keyA = addressKey(a);
  return keyA !== null && keyA === addressKey(b);
}
