import { useEffect, useState } from 'preact/hooks';

/** The current time in epoch ms, refreshed every `intervalMs` (for relative times). */
export function useNow(intervalMs = 10_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
