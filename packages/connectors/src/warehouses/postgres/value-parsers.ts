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

/** The shape `YYYY-MM-DD HH:MM:SS[.f{1,6}]` followed by `suffix`, as a Date; undefined for any other text. */
function fastUtc(s: string, suffix: string): Date | undefined {
  const end = s.length - suffix.length;
  if (end < 19 || (suffix !== "" && !s.endsWith(suffix))) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32) return undefined; // "-", "-", " "
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined; // ":"
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 1000 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0) return undefined;
  let ms = 0;
  if (end > 19) {
    // A fraction of 1 to 6 digits; milliseconds are its first three (a Date holds no finer).
    if (s.charCodeAt(19) !== 46 || end - 20 < 1 || end - 20 > 6) return undefined; // "."
    const fraction = digits(s, 20, end - 20);
    if (fraction < 0) return undefined;
    ms = Math.floor(fraction / 10 ** (end - 20 - 3));
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

/** timestamptz in a UTC session → Date. */
export function parseTimestamptz(value: string): Date | number | null {
  return fastUtc(value, "+00") ?? generalTimestamptz(value);
}

/** The ISO 8601 string JSON makes of a Date (`toISOString`), for values that only ever become JSON. */
function asJson(value: Date | number | string | null): unknown {
  return value instanceof Date ? (Number.isNaN(value.getTime()) ? null : value.toISOString()) : value;
}

/** `YYYY-MM-DD HH:MM:SS[.f{1,6}]` + `suffix` → `YYYY-MM-DDTHH:MM:SS.mmmZ` by slicing; undefined for other text. */
function fastIso(s: string, suffix: string): string | undefined {
  const end = s.length - suffix.length;
  if (end < 19 || end > 26 || s.length > 29 || (suffix !== "" && !s.endsWith(suffix))) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32) return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  if (digits(s, 0, 4) < 1000 || digits(s, 5, 2) < 1 || digits(s, 8, 2) < 1) return undefined;
  if (digits(s, 11, 2) < 0 || digits(s, 14, 2) < 0 || digits(s, 17, 2) < 0) return undefined;
  const base = `${s.slice(0, 10)}T${s.slice(11, 19)}`;
  if (end === 19) return `${base}.000Z`;
  if (s.charCodeAt(19) !== 46 || end === 20 || digits(s, 20, end - 20) < 0) return undefined;
  return `${base}.${s.slice(20, Math.min(end, 23)).padEnd(3, "0")}Z`;
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
