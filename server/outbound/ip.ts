import { isIP } from 'node:net';

/**
 * IP addresses as 16 bytes, IPv4 in its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so that
 * 127.0.0.1, ::ffff:127.0.0.1 and ::ffff:7f00:1 are one address and one rule covers them all.
 */
export type IpBytes = Uint8Array;

export interface Cidr {
  bytes: IpBytes;
  /** Prefix length in the 128-bit space (an IPv4 /8 is /104 here). */
  bits: number;
}

/** The address as 16 bytes; null when `text` is not an IP address. Zone ids (%eth0) are ignored. */
export function parseIp(text: string): IpBytes | null {
  const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return mapped(ipv4Bytes(address));
  if (family !== 6) return null;
  return ipv6Bytes(address);
}

/** A CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address (a /32 or /128); null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const bytes = parseIp(address);
  if (!bytes) return null;
  const v4 = isIP(address) === 4;
  const width = v4 ? 32 : 128;
  const raw = slash === -1 ? String(width) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(raw) || Number(raw) > width) return null;
  return { bytes, bits: Number(raw) + (v4 ? 96 : 0) };
}

export function inCidr(address: IpBytes, cidr: Cidr): boolean {
  for (let bit = 0; bit < cidr.bits; bit += 8) {
    const left = Math.min(8, cidr.bits - bit);
    const mask = (0xff << (8 - left)) & 0xff;
    if ((address[bit / 8]! & mask) !== (cidr.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

function mapped(v4: number[]): IpBytes {
  return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
}

/** Expands `::`, and a trailing dotted IPv4 part (`::ffff:127.0.0.1`), into 16 bytes. */
function ipv6Bytes(address: string): IpBytes {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = ipv4Bytes(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}
