/**
 * RFC 3339 date-times as the two senders write them: Krea `2025-01-15T10:30:00.000Z`, LangGraph's
 * Python server `2024-08-30T23:07:38.242730+00:00`, its JS server `…38.242Z`.
 *
 * Parsed by hand rather than with Date.parse: how Date.parse reads more than three fraction digits
 * is implementation-defined (it differs between engines), and it drops microseconds, which
 * LangGraph timestamps need to be ordered correctly (two events in the same millisecond).
 */

// Same grammar as ajv-formats' date-time (which the schemas use): 'T', 't' or a space between
// date and time, any number of fraction digits, and a required zone: Z or ±hh[:]mm.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Microseconds since the Unix epoch (UTC) of an RFC 3339 date-time, or null when `value` is not
 * one (not a string, out-of-range fields, no zone). Digits past the sixth fraction digit are
 * ignored: microseconds stay exact in a double until the year 2255. A leap second (:60) reads as
 * the first instant of the next minute.
 */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  const offsetHours = m[9] ? Number(m[10]) : 0;
  const offsetMinutes = m[9] ? Number(m[11]) : 0;
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const sign = m[9] === '-' ? -1 : 1;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear, unlike Date.UTC, keeps years 0–99 literal
  date.setUTCHours(hour, minute, second, 0);
  const offsetMs = sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const micros = Number((m[7] ?? '').slice(0, 6).padEnd(6, '0'));
  return (date.getTime() - offsetMs) * 1000 + micros;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
