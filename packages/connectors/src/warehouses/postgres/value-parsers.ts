// How a Sluice session turns PostgreSQL's text output into values. The session pins DateStyle ISO and
// TimeZone UTC, so timestamps print as `YYYY-MM-DD HH:MM:SS[.ffffff]` (with `+00` for timestamptz). Every
// changed row of a sync carries some, so that shape is read digit by digit (no regular expression, no
// intermediate strings); anything else (BC, years past 9999, infinity) goes to the general parser. Both
// kinds are read as UTC: timestamptz because the session prints it in UTC, timestamp (no time zone) so its
// ISO string casts back to the same value as a query parameter.
import pg from "pg";

const TIMESTAMPTZ_OID = 1184;
const generalTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text") as (value: string) => Date | number | null;
const PLAIN_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/;

const ZERO = 48;

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Where the text before `suffix` ends if `s` has the session's shape `YYYY-MM-DD HH:MM:SS[.f{1,6}]` + `suffix`
 * (year 1000–9999); -1 for any other text. The fraction, if any, runs from index 20 to that end.
 */
function sessionShapeEnd(s: string, suffix: string): number {
  const end = s.length - suffix.length;
  if (end < 19 || end === 20 || end > 26 || (suffix !== "" && !s.endsWith(suffix))) return -1;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32) return -1; // "-", "-", " "
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return -1; // ":"
  if (digits(s, 0, 4) < 1000 || digits(s, 5, 2) < 1 || digits(s, 8, 2) < 1) return -1;
  if (digits(s, 11, 2) < 0 || digits(s, 14, 2) < 0 || digits(s, 17, 2) < 0) return -1;
  if (end > 19 && (s.charCodeAt(19) !== 46 || digits(s, 20, end - 20) < 0)) return -1; // "."
  return end;
}

/** The session's shape as a Date (milliseconds: the fraction's first three digits); undefined for other text. */
function fastUtc(s: string, suffix: string): Date | undefined {
  const end = sessionShapeEnd(s, suffix);
  if (end < 0) return undefined;
  const ms = end > 19 ? Math.floor(digits(s, 20, end - 20) / 10 ** (end - 23)) : 0;
  return new Date(
    Date.UTC(digits(s, 0, 4), digits(s, 5, 2) - 1, digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2), ms),
  );
}

/**
 * The session's shape as ISO 8601 UTC by slicing: `YYYY-MM-DDTHH:MM:SS.mmmZ` (what a Date's toISOString gives),
 * or with every fraction digit kept when `allDigits`; undefined for other text.
 */
function fastIso(s: string, suffix: string, allDigits = false): string | undefined {
  const end = sessionShapeEnd(s, suffix);
  if (end < 0) return undefined;
  const fraction = end > 19 ? s.slice(20, allDigits ? end : Math.min(end, 23)) : "";
  return `${s.slice(0, 10)}T${s.slice(11, 19)}.${fraction.padEnd(3, "0")}Z`;
}

/**
 * A timestamp key's exact text (`2024-06-01 12:00:00.123456+00`) as ISO 8601 with all its digits
 * (`2024-06-01T12:00:00.123456Z`, at least milliseconds, so whole-millisecond keys read as a Date's would);
 * any other shape (BC, infinity) as PostgreSQL printed it. Either casts back to exactly the same value.
 */
export function exactTimestampKey(text: string): string {
  return fastIso(text, "+00", true) ?? fastIso(text, "", true) ?? text;
}

/** timestamptz in a UTC session → Date. */
export function parseTimestamptz(value: string): Date | number | null {
  return fastUtc(value, "+00") ?? generalTimestamptz(value);
}

/** The ISO 8601 string JSON makes of a Date (`toISOString`), for values that only ever become JSON. */
function asJson(value: Date | number | string | null): unknown {
  return value instanceof Date ? (Number.isNaN(value.getTime()) ? null : value.toISOString()) : value;
}

/** timestamptz in a UTC session → the ISO string JSON would make of its Date (infinity stays a number). */
export function isoTimestamptz(value: string): unknown {
  return fastIso(value, "+00") ?? asJson(parseTimestamptz(value));
}

/** timestamp (no time zone) → the ISO string JSON would make of its Date; unreadable text as it is. */
export function isoTimestamp(value: string): unknown {
  return fastIso(value, "") ?? asJson(parseTimestamp(value));
}

/** timestamp (no time zone) → Date read as UTC; text the fast path does not know is handed back as it is. */
export function parseTimestamp(value: string): Date | string {
  const fast = fastUtc(value, "");
  if (fast) return fast;
  return PLAIN_TIMESTAMP.test(value) ? new Date(`${value.replace(" ", "T")}Z`) : value;
}

const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;

/**
 * Type parsing that survives a JSON round trip back into a query parameter: `date` stays 'YYYY-MM-DD' (pg's
 * default makes a local-midnight Date, which shifts a day west of UTC); `timestamp` (no time zone) is read as
 * UTC, matching how its ISO string is cast back. bigint and numeric stay strings (pg's default).
 */
export const sessionTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === TIMESTAMP_OID) return parseTimestamp;
    if (oid === TIMESTAMPTZ_OID) return parseTimestamptz;
    return pg.types.getTypeParser(oid, format as "text");
  }) as typeof pg.types.getTypeParser,
};

/** The session's parsing, with timestamps as ISO strings (readDiffPage's `timestamps: "iso"`). */
export const isoTimestampTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === TIMESTAMP_OID) return isoTimestamp;
    if (oid === TIMESTAMPTZ_OID) return isoTimestamptz;
    return sessionTypes.getTypeParser(oid, format as "text");
  }) as typeof pg.types.getTypeParser,
};
