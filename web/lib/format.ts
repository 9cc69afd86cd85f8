/** Display helpers: pure, locale-light, no DOM. */

/** "just now", "42s ago", "5m ago", "3h ago", then a short date; `now` and `ms` in epoch ms. */
export function relativeTime(ms: number, now: number): string {
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return new Date(ms).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "0 B", "900 B", "1.5 KB", "12 MB" (binary units, as the server's limits use). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** The media type without parameters: "application/json; charset=utf-8" → "application/json". */
export function mediaType(contentType: string | null): string {
  return contentType ? contentType.split(';')[0]!.trim() : '';
}

/** The capture URL plus sub-path and query, as the sender called it. */
export function fullUrl(captureUrl: string, path: string, queryString: string): string {
  return `${captureUrl}${path}${queryString ? `?${queryString}` : ''}`;
}

/** Query keys whose values are secrets (the bin's ?token=, API keys, signatures): masked in list rows. */
const SECRET_KEY = /token|secret|key|pass|sig|auth/i;

/**
 * The query string with secret values replaced by •••• (`token=abc&x=1` → `token=••••&x=1`), so
 * a list on a shared screen does not show them. Works on the raw text: order and encoding kept.
 */
export function maskQuery(queryString: string): string {
  return queryString
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at < 0) return pair;
      let key = pair.slice(0, at);
      try {
        key = decodeURIComponent(key.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: test the raw key
      }
      return SECRET_KEY.test(key) && at < pair.length - 1 ? `${pair.slice(0, at)}=••••` : pair;
    })
    .join('&');
}
