import { describe, expect, it } from "vitest";
import { applyMapping, castValue, type MappingSpec, MappingSpecSchema, mappedColumns } from "./mapping";

const spec = (raw: unknown): MappingSpec => MappingSpecSchema.parse(raw);

describe("MappingSpecSchema", () => {
  it("accepts column mappings with casts and constants", () => {
    const parsed = spec([
      { from: "email", to: "email" },
      { from: "score", to: "traits.score", cast: "number" },
      { constant: { source: "sluice" }, to: "meta" },
    ]);
    expect(parsed).toHaveLength(3);
  });

  it("rejects an empty spec, bad paths, unknown casts and stray keys, naming the field", () => {
    const issues = (raw: unknown) =>
      MappingSpecSchema.safeParse(raw).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues([])).toEqual([": map at least one field"]);
    expect(issues([{ from: "a", to: "x..y" }])).toEqual(["0.to: a field path has no empty segments (e.g. traits.plan)"]);
    expect(issues([{ from: "a", to: "__proto__.x" }])[0]).toMatch(/^0\.to: a field path cannot use __proto__/);
    expect(issues([{ from: "a", to: "b", cast: "nmber" }])).toEqual(["0.cast: expected one of string|number|boolean|date|json"]);
    expect(issues([{ from: "a", to: "b", extra: 1 }])[0]).toMatch(/^0: Unrecognized key/);
    expect(issues([{ to: "b" }])).toEqual(["0.from: expected the model column to read"]);
    expect(issues(["a"])).toEqual(["0: expected { from, to, cast? } or { constant, to }"]);
  });

  it("refuses duplicate and prefix-conflicting destination fields", () => {
    const issues = (raw: unknown) => MappingSpecSchema.safeParse(raw).error?.issues.map((i) => [i.path, i.message]);
    expect(
      issues([
        { from: "a", to: "email" },
        { from: "b", to: "email" },
      ]),
    ).toEqual([[[1, "to"], '"email" is already mapped by mappings[0]']]);
    expect(
      issues([
        { from: "a", to: "traits" },
        { from: "b", to: "traits.plan" },
      ])?.[0]?.[1],
    ).toMatch(/"traits.plan" conflicts with "traits" \(mappings\[0\]\)/);
    expect(
      issues([
        { from: "b", to: "traits.plan" },
        { constant: 1, to: "traits" },
      ])?.[0]?.[0],
    ).toEqual([1, "to"]);
    // siblings under one object and a shared name prefix that is not a path prefix are fine
    expect(
      MappingSpecSchema.safeParse([
        { from: "a", to: "traits.plan" },
        { from: "b", to: "traits.score" },
        { from: "c", to: "trait" },
      ]).success,
    ).toBe(true);
  });
});

describe("mappedColumns", () => {
  it("lists each column read once, in spec order, without constants", () => {
    expect(
      mappedColumns(
        spec([
          { from: "email", to: "email" },
          { constant: 1, to: "v" },
          { from: "plan", to: "traits.plan" },
          { from: "email", to: "contact.email" },
        ]),
      ),
    ).toEqual(["email", "plan"]);
  });
});

describe("applyMapping", () => {
  it("nests dot paths and writes constants", () => {
    const result = applyMapping(
      { id: 1, email: "a@x.io", plan: "pro", score: "42.5" },
      spec([
        { from: "email", to: "email" },
        { from: "plan", to: "traits.plan" },
        { from: "score", to: "traits.score", cast: "number" },
        { constant: "sluice", to: "traits.meta.source" },
      ]),
    );
    expect(result).toEqual({
      ok: true,
      data: { email: "a@x.io", traits: { plan: "pro", score: 42.5, meta: { source: "sluice" } } },
    });
  });

  it("rejects a row missing a mapped column, naming it", () => {
    expect(applyMapping({ id: 1 }, spec([{ from: "email", to: "email" }]))).toEqual({
      ok: false,
      reason: 'column "email" is missing from the model\'s row',
    });
  });

  it("rejects a row whose cast fails with the column and value in the reason", () => {
    expect(applyMapping({ score: "abc" }, spec([{ from: "score", to: "s", cast: "number" }]))).toEqual({
      ok: false,
      reason: 'column "score": "abc" is not a number',
    });
  });

  it("keeps null as null whatever the cast", () => {
    for (const cast of ["string", "number", "boolean", "date", "json"] as const) {
      expect(applyMapping({ v: null }, spec([{ from: "v", to: "v", cast }]))).toEqual({ ok: true, data: { v: null } });
    }
  });
});

describe("casts", () => {
  const ok = (value: unknown) => ({ ok: true, value });
  it("number: numbers and numeric strings (pg bigint/numeric), never NaN or words", () => {
    expect(castValue(7, "number")).toEqual(ok(7));
    expect(castValue("12345678901", "number")).toEqual(ok(12345678901));
    expect(castValue(" -3.5 ", "number")).toEqual(ok(-3.5));
    expect(castValue(10n, "number")).toEqual(ok(10));
    expect(castValue("abc", "number")).toEqual({ ok: false, reason: '"abc" is not a number' });
    expect(castValue("", "number").ok).toBe(false);
    expect(castValue(Number.NaN, "number").ok).toBe(false);
    expect(castValue(true, "number").ok).toBe(false);
  });

  it("boolean: true/false, 1/0 and the usual words", () => {
    for (const v of [true, 1, "true", "TRUE", "yes", "t", "1"]) expect(castValue(v, "boolean")).toEqual(ok(true));
    for (const v of [false, 0, "false", "no", "f", "0", "No"]) expect(castValue(v, "boolean")).toEqual(ok(false));
    expect(castValue("maybe", "boolean")).toEqual({ ok: false, reason: '"maybe" is not a boolean' });
    expect(castValue(2, "boolean").ok).toBe(false);
  });

  it("date: a Date or parseable string becomes ISO-8601", () => {
    expect(castValue(new Date("2024-03-01T10:00:00Z"), "date")).toEqual(ok("2024-03-01T10:00:00.000Z"));
    expect(castValue("2024-03-01T12:00:00+02:00", "date")).toEqual(ok("2024-03-01T10:00:00.000Z"));
    expect(castValue("not a date", "date")).toEqual({ ok: false, reason: '"not a date" is not a date' });
    expect(castValue(new Date(Number.NaN), "date").ok).toBe(false);
    expect(castValue({}, "date").ok).toBe(false);
  });

  it("json: strings are parsed, other values pass as they are", () => {
    expect(castValue('{"a":[1,2]}', "json")).toEqual(ok({ a: [1, 2] }));
    expect(castValue({ a: 1 }, "json")).toEqual(ok({ a: 1 }));
    expect(castValue(5, "json")).toEqual(ok(5));
    // A timestamp, as a Date or as the ISO string JSON-only destinations get, passes as it is.
    expect(castValue("2026-11-24T13:45:07.123Z", "json")).toEqual(ok("2026-11-24T13:45:07.123Z"));
    const bad = castValue("{oops", "json");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/^"\{oops" is not valid JSON \(/);
  });

  it("string: scalars as text, dates as ISO, objects as JSON", () => {
    expect(castValue(42, "string")).toEqual(ok("42"));
    expect(castValue(true, "string")).toEqual(ok("true"));
    expect(castValue(9007199254740993n, "string")).toEqual(ok("9007199254740993"));
    expect(castValue(new Date("2024-01-02T03:04:05Z"), "string")).toEqual(ok("2024-01-02T03:04:05.000Z"));
    expect(castValue({ a: [1] }, "string")).toEqual(ok('{"a":[1]}'));
  });

  it("no cast: values pass unchanged, bigints as text (JSON cannot hold them)", () => {
    expect(castValue({ a: 1 }, undefined)).toEqual(ok({ a: 1 }));
    expect(castValue(5n, undefined)).toEqual(ok("5"));
  });

  it("cuts a huge value short in the reason", () => {
    const bad = castValue("x".repeat(500), "number");
    expect(!bad.ok && bad.reason.length).toBeLessThan(100);
  });
});
