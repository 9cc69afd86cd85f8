import { useEffect, useState } from 'preact/hooks';
import type { ServerStatus } from '../../shared/api-types.js';
import { api } from './api.js';

/** The last status read, shared by every user of the hook (the detail starts from it). */
let lastKnown: ServerStatus | null = null;

/**
 * The server's status (access control, storage warnings), read at start and every minute; null
 * until known or while unreachable (the live indicator already tells that story).
 */
export function useServerStatus(intervalMs = 60_000): ServerStatus | null {
  const [status, setStatus] = useState<ServerStatus | null>(lastKnown);
  useEffect(() => {
    let stopped = false;
    const load = () =>
      api.status().then(
        (s) => {
          lastKnown = s;
          if (!stopped) setStatus(s);
        },
        () => undefined,
      );
    void load();
    const timer = setInterval(() => void load(), intervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [intervalMs]);
  return status;
}
