/**
 * Reading the fields of a Krea job or LangGraph Run for their views: every value is untrusted
 * and may have any type, so each reader checks it and returns null (or []) when it is not what
 * the docs say (shared/schemas, docs/payloads). Objects are read with Object.hasOwn only.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(object: unknown, key: string): unknown {
  return isObject(object) && Object.hasOwn(object, key) ? object[key] : undefined;
}

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Epoch ms of an ISO date-time, or null. */
export function time(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** "850 ms", "4.2 s", "3 min 5 s", "2 h 3 min"; negative durations keep their sign. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(abs < 10_000 ? 1 : 0)} s`;
  if (abs < 3_600_000) return `${sign}${Math.floor(abs / 60_000)} min ${Math.round((abs % 60_000) / 1000)} s`;
  return `${sign}${Math.floor(abs / 3_600_000)} h ${Math.round((abs % 3_600_000) / 60_000)} min`;
}

/** An error in any of its documented shapes (string, {error, message}, other JSON) as text; null when none. */
export function errorText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  const name = text(field(value, 'error'));
  const message = text(field(value, 'message'));
  if (name !== null || message !== null) return [name, message].filter((part) => part !== null).join(': ');
  return JSON.stringify(value);
}

/** A result media URL: only absolute http(s) URLs are ever loaded. */
export interface MediaItem {
  url: string;
  kind: 'image' | 'video' | 'other';
}

const VIDEO = /\.(mp4|webm|mov|m4v)(\?|#|$)/i;
const IMAGE = /\.(png|jpe?g|gif|webp|avif|svg)(\?|#|$)/i;

/** `result.urls` of a Krea job: strings, or `{type, url}` objects (3D jobs); what is not an http(s) URL is left out. */
export function resultMedia(urls: unknown): MediaItem[] {
  if (!Array.isArray(urls)) return [];
  const items: MediaItem[] = [];
  for (const entry of urls.slice(0, 100)) {
    const raw = typeof entry === 'string' ? entry : text(field(entry, 'url'));
    if (raw === null) continue;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    const type = text(field(entry, 'type')) ?? '';
    const kind = VIDEO.test(url.pathname) || /video/i.test(type) ? 'video' : IMAGE.test(url.pathname) || /image/i.test(type) ? 'image' : 'other';
    items.push({ url: url.href, kind });
  }
  return items;
}
