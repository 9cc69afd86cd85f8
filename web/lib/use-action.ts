import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface ActionState<T> {
  busy: boolean;
  /** The last failure's message (a server 400 names the field); null after a success. */
  error: string | null;
  /** The last success's value; kept while a new run is under way. */
  result: T | null;
}

/**
 * One async action of a form (save, replay, send): whether it runs, its last error and result.
 * `run` resolves to the result, or null when it failed (the error is in the state). A component
 * that unmounts meanwhile is not updated.
 */
export function useAction<T, A extends unknown[]>(action: (...args: A) => Promise<T>): [ActionState<T>, (...args: A) => Promise<T | null>, () => void] {
  const [state, setState] = useState<ActionState<T>>({ busy: false, error: null, result: null });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const latest = useRef(action);
  latest.current = action;
  const run = useCallback(async (...args: A) => {
    setState((s) => ({ ...s, busy: true, error: null }));
    try {
      const result = await latest.current(...args);
      if (mounted.current) setState({ busy: false, error: null, result });
      return result;
    } catch (error) {
      if (mounted.current) setState((s) => ({ ...s, busy: false, error: (error as Error).message }));
      return null;
    }
  }, []);
  const reset = useCallback(() => setState({ busy: false, error: null, result: null }), []);
  return [state, run, reset];
}
