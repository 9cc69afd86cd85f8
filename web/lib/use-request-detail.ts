import { useEffect, useState } from 'preact/hooks';
import type { BinSession } from './bin-session.js';
import type { RequestDetail } from './types.js';

export interface DetailState {
  detail: RequestDetail | null;
  error: Error | null;
  loading: boolean;
}

/** The open request: from what the live stream pushed when possible, else fetched once. */
export function useRequestDetail(session: BinSession, requestId: string | null): DetailState {
  const cached = requestId ? session.cachedDetail(requestId) : undefined;
  const [fetched, setFetched] = useState<{ id: string; detail: RequestDetail | null; error: Error | null } | null>(null);
  useEffect(() => {
    if (!requestId || cached) return;
    let current = true;
    session.fetchDetail(requestId).then(
      (detail) => current && setFetched({ id: requestId, detail, error: null }),
      (error: Error) => current && setFetched({ id: requestId, detail: null, error }),
    );
    return () => {
      current = false;
    };
  }, [session, requestId, cached === undefined]);
  if (!requestId) return { detail: null, error: null, loading: false };
  if (cached) return { detail: cached, error: null, loading: false };
  if (fetched?.id === requestId) return { ...fetched, loading: false };
  return { detail: null, error: null, loading: true };
}
