import type { IncomingMessage, ServerResponse } from 'node:http';

export type LogFormat = 'text' | 'json';

/** What a capture stored and answered, by request, for its log line (a capture answer's headers go out raw, unreadable here). */
const captures = new WeakMap<IncomingMessage, { captured: number; answered: number | undefined }>();

/**
 * Tells the access log a capture's sizes: `captured`, the body bytes stored; `answered`, the
 * answer's body bytes (undefined when hookscope did not answer it: pass-through).
 */
export function noteCapture(req: IncomingMessage, captured: number, answered: number | undefined): void {
  captures.set(req, { captured, answered });
}

/**
 * One line per request once it is answered: time, method, path, status, bytes and milliseconds.
 * A capture's line says the body bytes captured and those answered (`captured`, `bytes`); any
 * other's the bytes of its answer. The path is logged WITHOUT its query string (query tokens
 * are secrets), and bodies and headers are never logged. Capture paths show the bin id, so a user
 * can find their traffic.
 */
export function logRequests(format: LogFormat, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const capture = captures.get(req);
      const entry = {
        time: new Date().toISOString(),
        method: req.method ?? '-',
        path: (req.url ?? '/').split('?')[0]!,
        status: res.headersSent ? res.statusCode : 0,
        bytes: capture?.answered ?? Number(res.getHeader('content-length') ?? 0), // what the answer's body was (streamed answers: 0)
        ...(capture ? { captured: capture.captured } : {}),
        ms: Math.round(ms * 10) / 10,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      write(format === 'json' ? JSON.stringify(entry) : textLine(entry, capture !== undefined));
    });
  };
}

function textLine(
  entry: { time: string; method: string; path: string; status: number; bytes: number; captured?: number; ms: number; aborted?: boolean },
  isCapture: boolean,
): string {
  const bytes = isCapture ? `captured ${entry.captured}B, answered ${entry.bytes}B` : `${entry.bytes}B`;
  return `${entry.time} ${entry.method} ${entry.path} ${entry.status} ${bytes} ${entry.ms}ms${entry.aborted ? ' (aborted)' : ''}`;
}
