/**
 * Identifier formats shared by server and browser.
 *
 * Ids arrive in URLs, so they are untrusted: every id is checked against one of these
 * patterns before it is used for anything, and only checked ids ever become part of a
 * file name on the server.
 */

/** A bin id is a lower-case UUID v4: 122 random bits, URL-safe, and the bin's capability. */
export const BIN_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A request id is a 26-character ULID (Crockford base32): 48 bits of milliseconds, then 80
 * bits that increase monotonically within a process. Ids sort in arrival order as strings.
 */
export const REQUEST_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isBinId(value: unknown): value is string {
  return typeof value === 'string' && BIN_ID_PATTERN.test(value);
}

export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}
