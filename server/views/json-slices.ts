import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Strings longer than this are escaped slice by slice (a slice of quote-dense JSON takes ~2 ms). */
export const SLICE_CHARS = 256 * 1024;

/**
 * The JSON text of a value that holds one long string (a captured body), in pieces: the value
 * is serialised with a marker where the string goes, and the string is escaped in slices, each in
 * its own event-loop turn. Escaping 17 MB of quote-dense JSON at once held the event loop ~100 ms,
 * and turning it into bytes as much again; in slices, other requests go on in between.
 * `build(marker)` returns the value with `marker` in the long string's place.
 */
export async function* jsonWithLongString(build: (marker: string) => unknown, long: string): AsyncGenerator<string> {
  const marker = `\u0000${randomUUID()}\u0000`; // unguessable: no sender can plant it elsewhere in the value
  const text = JSON.stringify(build(marker));
  const at = text.indexOf(JSON.stringify(marker));
  if (at === -1) throw new Error('jsonWithLongString: build() did not place the marker');
  yield `${text.slice(0, at)}"`;
  for (let start = 0; start < long.length;) {
    const end = sliceEnd(long, start);
    yield JSON.stringify(long.slice(start, end)).slice(1, -1);
    start = end;
    await nextTurn();
  }
  yield `"${text.slice(at + JSON.stringify(marker).length)}`;
}

/** Where a slice starting at `start` ends: never between the two halves of a surrogate pair (each would be escaped alone). */
function sliceEnd(text: string, start: number): number {
  let end = Math.min(text.length, start + SLICE_CHARS);
  const last = text.charCodeAt(end - 1);
  if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
  return end;
}
