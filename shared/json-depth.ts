/**
 * How deeply JSON text nests, found without parsing it. V8 parses any depth, but turning a
 * parsed value back into JSON (JSON.stringify), validating it, comparing it or rendering it as a
 * tree recurses once per level: 16 KB of `[[[[…` overflows the stack of every reader. So parsed
 * views are built only for text nested at most MAX_JSON_DEPTH deep; deeper text stays raw.
 */

/** Deepest nesting of arrays and objects for which a parsed view is built. No real webhook comes close. */
export const MAX_JSON_DEPTH = 256;

/**
 * True when `text`, read as JSON, opens more than `limit` arrays or objects inside each other.
 * Brackets inside strings do not count. Linear, without recursion, and it stops at the first
 * level past `limit`; text that is not JSON gives an answer about its brackets, which is enough
 * for the caller (JSON.parse then decides whether it is JSON).
 */
export function nestsDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i); // indexOf skips a string's inside far faster than this loop would
      if (i === -1) return false;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return false;
}

/** The index of the quote that closes the string opened at `open`, or -1 when it is never closed. */
function closingQuote(text: string, open: number): number {
  for (let end = text.indexOf('"', open + 1); end !== -1; end = text.indexOf('"', end + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return end;
  }
  return -1;
}

/** The note shown where a JSON view of text nested deeper than `limit` would be. */
export function tooDeepNote(limit = MAX_JSON_DEPTH): string {
  return `nested deeper than ${limit} levels: shown as raw`;
}
