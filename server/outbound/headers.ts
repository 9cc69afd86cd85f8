/**
 * Header lists for relayed requests and responses, as [name, value] pairs in their original order
 * and case (a receiver may verify a signature over headers, or simply log them as sent).
 */
export type HeaderPairs = [string, string][];

/**
 * Edits a replay may make: a whole new list of pairs, or a patch where a name maps to its new
 * value (replacing every header of that name, case-insensitively) or null (removing it).
 */
export type HeaderEdits = HeaderPairs | Record<string, string | null>;

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), so they are never
 * relayed. host and content-length are recomputed for the new target; expect is dropped because
 * the body is sent at once rather than after a 100 Continue.
 */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect']);

/** Methods Node sends without a body framing header when none is given. */
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** Flat [name, value, …] (Node's rawHeaders) to pairs. */
export function toPairs(raw: readonly string[]): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** True for headers that must not cross a relay (see CONNECTION_HEADERS, and every proxy-*). */
function isConnectionHeader(lowerName: string, listed: ReadonlySet<string>): boolean {
  return CONNECTION_HEADERS.has(lowerName) || lowerName.startsWith('proxy-') || listed.has(lowerName);
}

/** Names a Connection header lists are hop-by-hop for that message too. */
function namesListedInConnection(pairs: HeaderPairs): Set<string> {
  const listed = new Set<string>();
  for (const [name, value] of pairs) {
    if (name.toLowerCase() === 'connection') for (const token of value.split(',')) listed.add(token.trim().toLowerCase());
  }
  return listed;
}

/**
 * The header list for a relayed request, flat as http.request takes it: connection headers
 * dropped, `Host` set to the target where the original stood (first when there was none), and
 * `Content-Length` set to the real length where the original framing header stood (last when
 * there was none). A bodiless GET without any framing header stays without one.
 */
export function requestHeaders(pairs: HeaderPairs, target: { host: string; method: string; bodyLength: number }): string[] {
  const listed = namesListedInConnection(pairs);
  const out: string[] = [];
  let hostPlaced = false;
  let lengthPlaced = false;
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    if (lower === 'host' && !hostPlaced) out.push(name, target.host);
    if ((lower === 'content-length' || lower === 'transfer-encoding') && !lengthPlaced) out.push('Content-Length', String(target.bodyLength));
    hostPlaced ||= lower === 'host';
    lengthPlaced ||= lower === 'content-length' || lower === 'transfer-encoding';
    if (!isConnectionHeader(lower, listed)) out.push(name, value);
  }
  if (!hostPlaced) out.unshift('Host', target.host);
  if (!lengthPlaced && (target.bodyLength > 0 || !BODILESS_METHODS.has(target.method.toUpperCase()))) out.push('Content-Length', String(target.bodyLength));
  return out;
}

/** A target's response headers for the original sender (pass-through), flat for res.writeHead. */
export function responseHeaders(pairs: HeaderPairs, bodyLength: number): string[] {
  const listed = namesListedInConnection(pairs);
  const out = pairs.filter(([name]) => !isConnectionHeader(name.toLowerCase(), listed)).flat();
  out.push('Content-Length', String(bodyLength));
  return out;
}

/** Applies a replay's header edits (see HeaderEdits) to the captured pairs. */
export function editHeaders(pairs: HeaderPairs, edits: HeaderEdits | undefined): HeaderPairs {
  if (edits === undefined) return pairs;
  if (Array.isArray(edits)) return edits.map(([name, value]) => [name, value]);
  let out = pairs;
  for (const [name, value] of Object.entries(edits)) {
    const lower = name.toLowerCase();
    const first = out.findIndex(([n]) => n.toLowerCase() === lower);
    const rest = out.filter(([n]) => n.toLowerCase() !== lower);
    if (value === null) out = rest;
    else if (first === -1) out = [...rest, [name, value]];
    else out = [...rest.slice(0, first), [out[first]![0], value], ...rest.slice(first)];
  }
  return out;
}
