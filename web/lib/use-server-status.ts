import { useEffect, useState } from 'preact/hooks';
import type { ServerStatus } from '../../shared/api-types.js';
import { api } from './api.js';

/**
 * The server's status (access control, storage warnings), read at start and every minute; null
 * until known or while unreachable (the live indicator already tells that story).
 */
export function useServerStatus(intervalMs = 60_000): ServerStatus | null {
  const [status, setStatus] = useState<ServerStatus | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = () => api.status().then((s) => !stopped && setStatus(s), () => undefined);
    void load();
    const timer = setInterval(() => void load(), intervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [intervalMs]);
  return status;
}
