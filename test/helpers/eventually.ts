/** How long `eventually` waits unless told otherwise: generous on two shared cores, and well inside the 30 s test timeout. */
export const EVENTUALLY_TIMEOUT_MS = 10_000;

/** How often `eventually` looks again. */
const POLL_INTERVAL_MS = 20;

/**
 * Waits for something that happens in the background (a live push, a retry, a log line, a page
 * redraw): calls `check` every 20 ms until it returns a truthy value, and resolves to that value.
 * Rejects with an Error "timed out after N ms waiting for <what>" once `timeoutMs` has passed with
 * `check` still falsy (0 and '' count as falsy); `check` runs at least once, and once more at the
 * deadline. An error thrown by `check` is not retried: it rejects at once.
 *
 * The one polling helper of the suite: wait with it, then assert with `expect` on what it
 * returned, so a failure names both what did not happen and what was seen instead.
 */
export async function eventually<T>(
  check: () => T | false | null | undefined | Promise<T | false | null | undefined>,
  what: string,
  timeoutMs = EVENTUALLY_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lastChance = Date.now() >= deadline;
    const value = await check();
    if (value) return value;
    if (lastChance) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))));
  }
}
