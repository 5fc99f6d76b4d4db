import { describe, expect, it } from "vitest";
import { exactTimestampKey, isoTimestamp, isoTimestamptz, parseTimestamp, parseTimestamptz } from "./value-parsers";

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d);

describe("parseTimestamptz (UTC session)", () => {
  it("reads the session's shape with 0 to 6 fraction digits, keeping milliseconds (truncated)", () => {
    expect(iso(parseTimestamptz("2026-11-24 13:45:07+00"))).toBe("2026-11-24T13:45:07.000Z");
    expect(iso(parseTimestamptz("2026-11-24 13:45:07.5+00"))).toBe("2026-11-24T13:45:07.500Z");
    expect(iso(parseTimestamptz("2026-11-24 13:45:07.57+00"))).toBe("2026-11-24T13:45:07.570Z");
    expect(iso(parseTimestamptz("2026-11-24 13:45:07.123456+00"))).toBe("2026-11-24T13:45:07.123Z");
    expect(iso(parseTimestamptz("1999-12-31 23:59:59.999999+00"))).toBe("1999-12-31T23:59:59.999Z");
  });

  it("agrees with the ISO reading of every shape it accepts", () => {
    for (let i = 0; i < 2_000; i++) {
      const d = new Date(Date.UTC(1000 + ((i * 7919) % 9000), i % 12, 1 + (i % 28), i % 24, (i * 7) % 60, (i * 13) % 60));
      const digits = i % 7; // 0 = no fraction
      const fraction = digits === 0 ? "" : `.${String((i * 104_729) % 10 ** digits).padStart(digits, "0")}`;
      const text = `${d.toISOString().slice(0, 19).replace("T", " ")}${fraction}`;
      const ms = digits === 0 ? "000" : fraction.slice(1, 4).padEnd(3, "0");
      const expected = `${text.slice(0, 19).replace(" ", "T")}.${ms}Z`;
      expect(iso(parseTimestamptz(`${text}+00`))).toBe(expected);
      expect(iso(parseTimestamp(text))).toBe(expected);
      expect(isoTimestamptz(`${text}+00`)).toBe(expected);
      expect(isoTimestamp(text)).toBe(expected);
    }
  });

  it("hands other shapes to pg's general parser (BC, offsets, infinity)", () => {
    expect(iso(parseTimestamptz("2026-11-24 13:45:07+02"))).toBe("2026-11-24T11:45:07.000Z");
    expect(parseTimestamptz("infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(parseTimestamptz("-infinity")).toBe(Number.NEGATIVE_INFINITY);
    const bc = parseTimestamptz("0044-03-15 12:00:00+00 BC");
    expect(bc).toBeInstanceOf(Date);
    expect((bc as Date).getUTCFullYear()).toBe(-43);
    expect(iso(parseTimestamptz("0999-01-02 03:04:05+00"))).toBe("0999-01-02T03:04:05.000Z");
  });
});

describe("parseTimestamp (no time zone, read as UTC)", () => {
  it("reads years before 1000 and keeps text it cannot read", () => {
    expect(iso(parseTimestamp("0999-01-02 03:04:05.25"))).toBe("0999-01-02T03:04:05.250Z");
    expect(parseTimestamp("infinity")).toBe("infinity");
    expect(parseTimestamp("2026-11-24 13:45:07 BC")).toBe("2026-11-24 13:45:07 BC");
  });
});

describe("ISO readings (for values that only become JSON)", () => {
  it("give what JSON makes of the Date reading, for every shape", () => {
    const json = (v: unknown) => JSON.parse(JSON.stringify({ v })).v;
    for (const text of [
      "2026-11-24 13:45:07+02",
      "infinity",
      "-infinity",
      "0044-03-15 12:00:00+00 BC",
      "0999-01-02 03:04:05+00",
      "2026-11-24 13:45:07.57+00",
    ]) {
      expect(json(isoTimestamptz(text))).toEqual(json(parseTimestamptz(text)));
    }
    for (const text of ["0999-01-02 03:04:05.25", "infinity", "2026-11-24 13:45:07 BC", "2026-11-24 13:45:07.000001"]) {
      expect(json(isoTimestamp(text))).toEqual(json(parseTimestamp(text)));
    }
  });
});

describe("exactTimestampKey", () => {
  it("keeps every fraction digit (at least milliseconds) and hands other shapes back as printed", () => {
    expect(exactTimestampKey("2024-06-01 12:00:00.123456+00")).toBe("2024-06-01T12:00:00.123456Z");
    expect(exactTimestampKey("2024-06-01 12:00:00.5")).toBe("2024-06-01T12:00:00.500Z");
    expect(exactTimestampKey("2024-06-01 12:00:00+00")).toBe("2024-06-01T12:00:00.000Z");
    expect(exactTimestampKey("-infinity")).toBe("-infinity");
    expect(exactTimestampKey("0044-03-15 12:00:00+00 BC")).toBe("0044-03-15 12:00:00+00 BC");
  });
});
