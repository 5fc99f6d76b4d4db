import { checkMappings, suggestMappings } from "@sluice/contracts/mapper";
import { describe, expect, it } from "vitest";
import {
  acceptSuggestions,
  addColumnRow,
  constantDraft,
  constantSourceFor,
  constantTypeFor,
  convertConstantText,
  countBlocking,
  type DraftRow,
  nestedShape,
  parseConstant,
  placeIssues,
  removeRow,
  rowsFromSpec,
  setFieldColumn,
  setRowCast,
  specFromRows,
  targetsByColumn,
  updateRow,
} from "./mapping-draft";

const row = (to: string, source: DraftRow["source"], id = to): DraftRow => ({ id, to, source });

describe("constants", () => {
  it("parses each type, and says what is wrong", () => {
    expect(parseConstant("text", " gold ")).toEqual({ ok: true, value: " gold " });
    expect(parseConstant("number", " 4.5 ")).toEqual({ ok: true, value: 4.5 });
    expect(parseConstant("number", "")).toEqual({ ok: false, error: "Enter a number, e.g. 42 or 0.5" });
    expect(parseConstant("number", "12abc")).toEqual({ ok: false, error: '"12abc" is not a number' });
    expect(parseConstant("boolean", "false")).toEqual({ ok: true, value: false });
    expect(parseConstant("boolean", "maybe")).toEqual({ ok: false, error: "Choose true or false" });
    expect(parseConstant("json", '{"a":[1,null]}')).toEqual({ ok: true, value: { a: [1, null] } });
    const bad = parseConstant("json", "{a:1}");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Not valid JSON: /);
  });

  it("edits a stored constant with the editor of its type", () => {
    expect(constantDraft("sluice")).toEqual({ type: "text", text: "sluice" });
    expect(constantDraft(3)).toEqual({ type: "number", text: "3" });
    expect(constantDraft(true)).toEqual({ type: "boolean", text: "true" });
    expect(constantDraft({ tier: "gold" })).toEqual({ type: "json", text: '{"tier":"gold"}' });
    expect(constantDraft(null)).toEqual({ type: "json", text: "null" });
  });

  it("starts a field's constant with the editor its type needs", () => {
    expect(constantTypeFor("integer")).toBe("number");
    expect(constantTypeFor("datetime")).toBe("text");
    expect(constantTypeFor("json")).toBe("json");
    expect(constantTypeFor(undefined)).toBe("text");
    expect(constantSourceFor("boolean")).toEqual({ kind: "constant", type: "boolean", text: "true" });
    expect(constantSourceFor("number")).toEqual({ kind: "constant", type: "number", text: "" });
  });

  it("carries the value over when the type changes, where it still makes sense", () => {
    expect(convertConstantText("text", "json", "gold")).toBe('"gold"');
    expect(convertConstantText("number", "json", "7")).toBe("7");
    expect(convertConstantText("json", "text", '"gold"')).toBe("gold");
    expect(convertConstantText("json", "number", "{}")).toBe("");
    expect(convertConstantText("text", "boolean", "yes")).toBe("true");
    expect(convertConstantText("boolean", "text", "true")).toBe("");
    expect(convertConstantText("text", "number", "12")).toBe("12");
  });
});

describe("rows ↔ spec", () => {
  it("round-trips a spec with casts, nested paths and every kind of constant", () => {
    const spec = [
      { from: "email", to: "email" },
      { from: "score", to: "traits.score", cast: "number" as const },
      { constant: "sluice", to: "source" },
      { constant: 2, to: "version" },
      { constant: false, to: "test" },
      { constant: { a: 1 }, to: "meta" },
    ];
    const rows = rowsFromSpec(spec);
    expect(new Set(rows.map((r) => r.id)).size).toBe(spec.length);
    const out = specFromRows(rows);
    expect(out.spec).toEqual(spec);
    expect(out.specRowIds).toEqual(rows.map((r) => r.id));
    expect(out.problems).toEqual([]);
  });

  it("leaves incomplete rows out of the spec, each with what to do, and keeps the index → row link", () => {
    const rows = [
      row("", { kind: "column", column: "email" }, "a"),
      row("plan", { kind: "column", column: "" }, "b"),
      row("n", { kind: "constant", type: "number", text: "x" }, "c"),
      row(" email ", { kind: "column", column: "email" }, "d"),
    ];
    const out = specFromRows(rows);
    expect(out.spec).toEqual([{ from: "email", to: "email" }]);
    expect(out.specRowIds).toEqual(["d"]);
    expect(out.problems).toEqual([
      { rowId: "a", message: "Name the field this value goes to, e.g. email or traits.plan." },
      { rowId: "b", message: "Choose a column, or a constant value." },
      { rowId: "c", message: '"x" is not a number' },
    ]);
  });
});

describe("edits", () => {
  const rows = [row("email", { kind: "column", column: "mail", cast: "string" }, "r1")];

  it("maps a column to a field: replacing the field's column (and its cast), or adding a row", () => {
    expect(setFieldColumn(rows, "email", "email_address")).toEqual([
      row("email", { kind: "column", column: "email_address" }, "r1"),
    ]);
    const added = setFieldColumn(rows, "firstname", "given_name");
    expect(added).toHaveLength(2);
    expect(added[1]).toMatchObject({ to: "firstname", source: { kind: "column", column: "given_name" } });
  });

  it("shows how a dot path nests", () => {
    expect(nestedShape("traits.plan")).toBe('{"traits": {"plan": …}}');
    expect(nestedShape("email")).toBe('{"email": …}');
  });

  it("adds a free-form field under the column's name, numbered when taken", () => {
    const once = addColumnRow(rows, "email");
    expect(once[1]?.to).toBe("email_2");
    expect(addColumnRow(once, "email")[2]?.to).toBe("email_3");
    expect(addColumnRow(rows, "plan")[1]?.to).toBe("plan");
  });

  it("updates, removes and casts rows by id; constants take no cast", () => {
    expect(updateRow(rows, "r1", { to: "traits.email" })[0]?.to).toBe("traits.email");
    expect(removeRow(rows, "r1")).toEqual([]);
    expect(setRowCast(rows, "r1", undefined)[0]?.source).toEqual({ kind: "column", column: "mail" });
    expect(setRowCast(rows, "r1", "json")[0]?.source).toEqual({ kind: "column", column: "mail", cast: "json" });
    const constant = [row("x", { kind: "constant", type: "text", text: "a" })];
    expect(setRowCast(constant, "x", "number")).toEqual(constant);
  });

  it("accepts the contract's suggestions with the casts they need", () => {
    const columns = [
      { name: "email_address", type: "text" },
      { name: "spend", type: "numeric(8,2)" },
    ];
    const fields = [
      { name: "email", type: "string" as const, identifier: true },
      { name: "spend", type: "number" as const },
    ];
    const suggestions = suggestMappings(columns, fields, []);
    const accepted = acceptSuggestions([], suggestions);
    expect(specFromRows(accepted).spec).toEqual([
      { from: "email_address", to: "email" },
      { from: "spend", to: "spend", cast: "number" },
    ]);
    expect(checkMappings(specFromRows(accepted).spec, columns, fields, { mode: "upsert" })).toEqual([]);
    expect(targetsByColumn(accepted)).toEqual(
      new Map([
        ["email_address", ["email"]],
        ["spend", ["spend"]],
      ]),
    );
  });
});

describe("issues", () => {
  it("places each issue at its row, its field, or above the mapper; incomplete rows block saving too", () => {
    const rows = [row("phone", { kind: "column", column: "spend" }, "r1"), row("", { kind: "column", column: "x" }, "r2")];
    const { spec, specRowIds, problems } = specFromRows(rows);
    const fields = [
      { name: "email", type: "string" as const, identifier: true },
      { name: "phone", type: "boolean" as const },
    ];
    const issues = checkMappings(spec, [{ name: "spend", type: "jsonb" }], fields, { mode: "upsert", modes: ["insert"] });
    const placed = placeIssues(issues, specRowIds, new Set(["email", "phone"]));
    expect(placed.general.map((i) => i.code)).toEqual(["mode_unsupported"]);
    expect([...placed.byField.keys()]).toEqual(["email"]);
    expect(placed.byRow.get("r1")?.map((i) => i.code)).toEqual(["type_mismatch"]);
    // Not shown as a field (a free-form screen): above the mapper.
    expect(placeIssues(issues, specRowIds, new Set()).general.map((i) => i.code)).toEqual([
      "mode_unsupported",
      "identifier_unmapped",
    ]);
    expect(countBlocking(issues, problems)).toBe(4);
  });
});
