// The Web Worker that decodes, parses and splits large bodies (lib/text-lines.ts), so a 25 MB
// body never blocks the inspector's main thread.
import { toLines, type LinesRequest } from './text-lines.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LinesRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

scope.onmessage = (event) => {
  const result = toLines(event.data);
  scope.postMessage(result, result.ok ? [result.starts.buffer] : []);
};
