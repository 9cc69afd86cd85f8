/**
 * Turns a large body into text lines for a virtualised view. Pure, so the Web Worker
 * (lib/text-worker.ts) runs it off the main thread. Long lines (minified JSON is one line) are
 * cut into rows of WRAP characters, so every row has the same height.
 */
export const WRAP = 200;

export type LinesRequest = { bytes: ArrayBuffer; mode: 'raw' | 'pretty' };
export type LinesResult = { ok: true; text: string; starts: Uint32Array } | { ok: false; error: string };

export function toLines({ bytes, mode }: LinesRequest): LinesResult {
  let text = new TextDecoder().decode(bytes);
  if (mode === 'pretty') {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch (error) {
      // A parse error, or nesting deeper than the stack (stringify is recursive).
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
  const starts: number[] = [];
  let at = 0;
  while (at <= text.length) {
    const end = text.indexOf('\n', at);
    const lineEnd = end < 0 ? text.length : end;
    for (let row = at; row < lineEnd || row === at; row += WRAP) starts.push(row);
    if (end < 0) break;
    at = end + 1;
  }
  return { ok: true, text, starts: Uint32Array.from(starts) };
}
