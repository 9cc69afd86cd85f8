import { dictionary } from '../../shared/safe-keys.js';

/**
 * Loose JSON values for small form fields (a rule's `equals`, a simulator override): what parses
 * as JSON is that value, anything else is a string, so `failed` and `"failed"` both mean the string.
 */
export function parseLooseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The text that `parseLooseJson` turns back into `value`: plain strings stay unquoted when that is unambiguous. */
export function showLooseJson(value: unknown): string {
  if (typeof value === 'string' && parseLooseJson(value) === value) return value;
  return JSON.stringify(value) ?? '';
}

/** Lines of `<pointer> = <value>` → { pointer: value }; throws naming the first bad line. */
export function parsePointerLines(text: string): Record<string, unknown> {
  const result = dictionary<unknown>(); // keys are typed by the user
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    const pointer = eq < 0 ? '' : line.slice(0, eq).trim();
    if (eq < 0 || !pointer.startsWith('/')) throw new Error(`Line ${i + 1}: write <JSON Pointer> = <value>, e.g. /status = "processing".`);
    result[pointer] = parseLooseJson(line.slice(eq + 1).trim());
  }
  return result;
}
