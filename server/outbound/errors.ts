/**
 * Turns the ways a delivery fails into one readable sentence for the person looking at the
 * replay history: what went wrong, and where.
 */

/** Thrown into a request to end it when its time is up. */
export class DeliveryTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${formatSeconds(timeoutMs)}`);
  }
}

/** Thrown into a request when the server is stopping. */
export class DeliveryCancelled extends Error {
  constructor() {
    super('cancelled: hookscope is stopping');
  }
}

/** `hostPort` is `host:port` of the target (the port always shown, so a wrong one is visible). */
export function describeDeliveryError(error: unknown, hostPort: string): string {
  if (error instanceof DeliveryTimeout || error instanceof DeliveryCancelled) return error.message;
  const { code = '', message = String(error) } = error as NodeJS.ErrnoException;
  const host = hostPort.replace(/:\d+$/, '');
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused at ${hostPort}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
    case 'ENODATA':
      return `DNS lookup failed for ${host}`;
    case 'ECONNRESET':
      return message === 'socket hang up' ? `${hostPort} closed the connection without answering` : `connection reset by ${hostPort}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${hostPort}`;
    case 'ETIMEDOUT':
      return `connecting to ${hostPort} timed out`;
  }
  if (code.startsWith('HPE_')) return `${hostPort} sent an invalid HTTP response (${message})`;
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS handshake with ${host} failed: ${message}`;
  return `delivery to ${hostPort} failed: ${message}`;
}

/** 30000 → "30 s", 250 → "0.25 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** 1048576 → "1 MB", 16384 → "16 KB", 100 → "100 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
