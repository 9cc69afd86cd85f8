import type { BodyData } from './api-types.js';

/**
 * Builds a curl command that re-sends a captured request byte for byte: same method, URL,
 * headers (raw order and case) and body. Pure and DOM-free, so the server (for an API or CLI
 * "as curl" later) and the inspector produce the same command.
 */
export interface CurlSource {
  method: string;
  /** Absolute URL to send to, query included. */
  url: string;
  /** [name, value] pairs in arrival order with their original case. */
  rawHeaders: readonly (readonly [string, string])[];
  body: BodyData;
  /** Size of the whole body in bytes (the inline `body` may be truncated). */
  size: number;
  /**
   * Absolute URL serving the exact body bytes (hookscope's `…/body`). Used instead of inlining
   * when the body is truncated or too big for one shell argument.
   */
  bodyUrl?: string;
  /**
   * The body URL needs hookscope's access token (a server with --access-token): the command then
   * downloads the body with `Authorization: Bearer $HOOKSCOPE_TOKEN` into a file, failing on any
   * error, and sends the file only when that worked; a leading comment says to set the variable.
   * Without it, an unauthenticated download would get the 401 error and send that as the body.
   */
  bodyNeedsToken?: boolean;
}

/** Headers that describe one connection, not the request, or that curl derives itself. */
const NOT_FORWARDED = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Bodies inlined in the command up to this many bytes (Linux caps one argument at 128 KiB,
 * and base64 grows binary bodies by a third); larger ones are piped from `bodyUrl`.
 */
export const CURL_INLINE_LIMIT = 64 * 1024;

/** Quotes a word for POSIX shells (sh, bash, zsh): plain words stay bare, the rest single-quoted. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command, one option per line joined with ` \` continuations. Bodies: UTF-8 text as a
 * quoted `--data-binary` argument; binary (or text holding NUL bytes, which no shell argument
 * can carry) as base64 decoded into stdin; truncated or large ones piped from `bodyUrl`, or,
 * without one, read from a file named in a leading comment.
 */
export function toCurl(source: CurlSource): string {
  const forwarded = forwardedHeaders(source.rawHeaders);
  const has = (name: string) => source.rawHeaders.some(([n]) => n.toLowerCase() === name);
  const hadFraming = has('content-length') || has('transfer-encoding');
  const sendsBody = source.size > 0 || hadFraming;
  const args: string[] = ['curl'];
  if (source.method === 'HEAD') args.push('--head');
  else if (source.method !== 'GET' || sendsBody) args.push(`-X ${shellQuote(source.method)}`);
  for (const [name, value] of forwarded) args.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  // curl adds these on its own; an empty header tells it to leave them out, as the original did.
  if (!has('user-agent')) args.push(`-H ${shellQuote('User-Agent:')}`);
  if (!has('accept')) args.push(`-H ${shellQuote('Accept:')}`);
  if (sendsBody && !has('content-type')) args.push(`-H ${shellQuote('Content-Type:')}`);
  if (sendsBody && !has('expect')) args.push(`-H ${shellQuote('Expect:')}`);
  if (/[[\]{}]/.test(source.url)) args.push('--globoff');
  if (/\/\.\.?(?:[/?#]|$)/.test(source.url)) args.push('--path-as-is');
  const body = sendsBody ? bodyArgument(source) : { arg: null, prefix: '' };
  if (body.arg) args.push(body.arg);
  args.push(shellQuote(source.url));
  return body.prefix + args.join(' \\\n  ');
}

function forwardedHeaders(rawHeaders: CurlSource['rawHeaders']): (readonly [string, string])[] {
  // Headers listed in Connection are hop-by-hop too (RFC 9110, section 7.6.1).
  const listed = new Set<string>();
  for (const [name, value] of rawHeaders) {
    if (name.toLowerCase() === 'connection') for (const token of value.split(',')) listed.add(token.trim().toLowerCase());
  }
  return rawHeaders.filter(([name]) => !NOT_FORWARDED.has(name.toLowerCase()) && !listed.has(name.toLowerCase()));
}

function bodyArgument(source: CurlSource): { arg: string; prefix: string } {
  const { body } = source;
  const inline = !body.truncated && source.size <= CURL_INLINE_LIMIT;
  if (inline && body.encoding === 'utf8' && !body.data.includes('\0')) {
    // A literal starting with @ would be read as a file name by --data-binary; --data-raw never does.
    return { arg: `${body.data.startsWith('@') ? '--data-raw' : '--data-binary'} ${shellQuote(body.data)}`, prefix: '' };
  }
  if (inline) {
    const base64 = body.encoding === 'base64' ? body.data : utf8ToBase64(body.data);
    return { arg: '--data-binary @-', prefix: `printf %s ${shellQuote(base64)} | base64 -d | ` };
  }
  if (source.bodyUrl && source.bodyNeedsToken) {
    return {
      arg: '--data-binary @hookscope-body.bin',
      prefix:
        `# The body (${source.size} bytes) is downloaded from hookscope first: set HOOKSCOPE_TOKEN to its access token.\n` +
        `curl -sSf -H "Authorization: Bearer $HOOKSCOPE_TOKEN" -o hookscope-body.bin ${shellQuote(source.bodyUrl)} && \\\n`,
    };
  }
  if (source.bodyUrl) return { arg: '--data-binary @-', prefix: `curl -sS ${shellQuote(source.bodyUrl)} | ` };
  return { arg: '--data-binary @body.bin', prefix: `# Save the exact body (${source.size} bytes) as body.bin first.\n` };
}

function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
