import type { BodyData } from '../../shared/api-types.js';

/** The body's bytes: base64 decoded, or UTF-8 text encoded back (exact, since it was valid UTF-8). */
export function bodyBytes(body: BodyData): Uint8Array {
  if (body.encoding === 'utf8') return new TextEncoder().encode(body.data);
  const binary = atob(body.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A classic hex dump of rows [fromRow, toRow) of 16 bytes: offset, hex in two groups of 8,
 * and printable ASCII (anything else shown as a dot).
 */
export function hexDump(bytes: Uint8Array, fromRow: number, toRow: number): string {
  const lines: string[] = [];
  for (let row = fromRow; row < toRow; row++) {
    const start = row * 16;
    if (start >= bytes.length) break;
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const byte = bytes[start + i];
      hex += (byte === undefined ? '  ' : HEX[byte]) + (i === 7 ? '  ' : ' ');
      if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    lines.push(`${start.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return lines.join('\n');
}
