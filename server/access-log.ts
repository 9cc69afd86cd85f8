import type { IncomingMessage, ServerResponse } from 'node:http';

export type LogFormat = 'text' | 'json';

/**
 * One line per request once it is answered: time, method, path, status, bytes sent and
 * milliseconds. The path is logged WITHOUT its query string (query tokens are secrets), and
 * bodies and headers are never logged. Capture paths show the bin id, so a user can find their
 * traffic.
 */
export function logRequests(format: LogFormat, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = {
        time: new Date().toISOString(),
        method: req.method ?? '-',
        path: (req.url ?? '/').split('?')[0]!,
        status: res.headersSent ? res.statusCode : 0,
        bytes: Number(res.getHeader('content-length') ?? 0), // what the body was (streamed answers: 0)
        ms: Math.round(ms * 10) / 10,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      write(
        format === 'json'
          ? JSON.stringify(entry)
          : `${entry.time} ${entry.method} ${entry.path} ${entry.status} ${entry.bytes}B ${entry.ms}ms${entry.aborted ? ' (aborted)' : ''}`,
      );
    });
  };
}
