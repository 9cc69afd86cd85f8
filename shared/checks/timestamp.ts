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
  // Checked on every captured webhook: plain numbers, no intermediate arrays or Date juggling.
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = +m[4]!;
  const minute = +m[5]!;
  const second = +m[6]!;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  const offsetHours = m[9] ? +m[10]! : 0;
  const offsetMinutes = m[9] ? +m[11]! : 0;
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 100) {
    const date = new Date(ms);
    date.setUTCFullYear(year); // Date.UTC reads years 0–99 as 1900–1999; keep them literal
    ms = date.getTime();
  }
  const sign = m[9] === '-' ? -1 : 1;
  ms -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const fraction = m[7] ?? '';
  let micros = 0;
  for (let i = 0; i < 6; i++) micros = micros * 10 + (i < fraction.length ? fraction.charCodeAt(i) - 48 : 0);
  return ms * 1000 + micros;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
