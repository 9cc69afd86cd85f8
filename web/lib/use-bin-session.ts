import { useEffect, useMemo, useReducer } from 'preact/hooks';
import { api } from './api.js';
import { BinSession, type BinSnapshot } from './bin-session.js';
import { browserPage, openBrowserSocket } from './browser-live.js';

/** The live state of one bin, re-rendering on every published change. */
export function useBinSession(binId: string): [BinSnapshot, BinSession] {
  const session = useMemo(() => new BinSession(binId, { api, openSocket: openBrowserSocket, page: browserPage }), [binId]);
  const [, rerender] = useReducer((n: number, _: void) => n + 1, 0);
  useEffect(() => {
    const unsubscribe = session.subscribe(() => rerender());
    void session.start();
    return () => {
      unsubscribe();
      session.dispose();
    };
  }, [session]);
  return [session.snapshot, session];
}
