import { describe, expect, it } from "vitest";
import {
  CheckMappingsInput,
  checkMappings,
  compactName,
  editDistance,
  fieldTypeVerdict,
  type MapperField,
  type MappingIssue,
  type ModelColumn,
  matchNames,
  modelRefOf,
  nameTokens,
  PreviewMappingInput,
  previewPayloads,
  SuggestMappingsInput,
  suggestMappings,
  valueKind,
} from "./mapper";
import type { Mapping } from "./mapping";

const col = (name: string, type = "text"): ModelColumn => ({ name, type });

const CONTACT_FIELDS: MapperField[] = [
  { name: "email", label: "Email", type: "string", identifier: true },
  { name: "firstname", label: "First name", type: "string" },
  { name: "lastname", label: "Last name", type: "string", required: true },
  { name: "phone", label: "Phone number", type: "string" },
  { name: "company", label: "Company name", type: "string" },
  { name: "country", label: "Country/Region", type: "string" },
  { name: "createdate", label: "Create date", type: "datetime" },
  { name: "score", type: "number" },
  { name: "seats", type: "integer" },
  { name: "is_active", label: "Active", type: "boolean" },
  { name: "renewal", label: "Renewal day", type: "date" },
  { name: "traits", type: "json" },
];

const pairs = (s: { from: string; to: string }[]) => s.map((x) => `${x.from}→${x.to}`);
const codes = (issues: MappingIssue[]) =>
  issues.map((i) => `${i.severity}:${i.code}${i.index === undefined ? "" : `#${i.index}`}`);

describe("names", () => {
  it("splits case, underscores, spaces and camelCase into the same words", () => {
    expect(nameTokens("firstName")).toEqual(["first", "name"]);
    expect(nameTokens("FIRST_NAME")).toEqual(["first", "name"]);
    expect(nameTokens("First name")).toEqual(["first", "name"]);
    expect(nameTokens("HTTPStatusCode")).toEqual(["http", "status", "code"]);
    expect(nameTokens("address_line-2")).toEqual(["address", "line", "2"]);
    expect(compactName("E-Mail Address")).toBe("emailaddress");
  });

  it("counts a transposition as one edit", () => {
    expect(editDistance("emial", "email")).toBe(1);
    expect(editDistance("adress", "address")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("ranks exact > normalised > synonym > shared word, and refuses unrelated names", () => {
    expect(matchNames("email", "email")).toEqual({ score: 1, reason: "same name" });
    expect(matchNames("first_name", "firstName")?.score).toBe(0.97);
    expect(matchNames("email_address", "email")?.score).toBe(0.9);
    expect(matchNames("given_name", "firstname")?.reason).toBe('"given_name" and "firstname" usually mean the same thing');
    expect(matchNames("surname", "last_name")?.score).toBe(0.9);
    expect(matchNames("mobile", "phone")?.score).toBe(0.9);
    expect(matchNames("organization", "company")?.score).toBe(0.9);
    expect(matchNames("signup_date", "createdate")?.score).toBe(0.9);
    const shared = matchNames("billing_email", "email");
    expect(shared?.reason).toBe('both mention "email"');
    expect(shared?.score).toBeGreaterThan(0.5);
    expect(shared?.score).toBeLessThan(0.9);
    expect(matchNames("emial", "email")?.reason).toBe('similar spelling ("emial" ≈ "email")');
    expect(matchNames("plan", "country")).toBeUndefined();
    // Sharing only a generic word is no match.
    expect(matchNames("account_id", "user_id")).toBeUndefined();
    expect(matchNames("created_at", "updated_at")).toBeUndefined();
  });

  it("doubts a key column for a field that is not a key", () => {
    const asKey = matchNames("company_id", "company");
    const asName = matchNames("company_name", "company");
    expect(asName?.score).toBe(0.9);
    expect(asKey?.score ?? 0).toBeLessThan(0.5);
  });
});

describe("valueKind", () => {
  it.each([
    ["integer", "integer"],
    ["smallint", "integer"],
    ["bigint", "bigint"],
    ["numeric(10,2)", "decimal"],
    ["numeric", "decimal"],
    ["double precision", "float"],
    ["real", "float"],
    ["text", "text"],
    ["character varying(255)", "text"],
    ["uuid", "text"],
    ["boolean", "boolean"],
    ["date", "date"],
    ["timestamp with time zone", "timestamp"],
    ["timestamp(3) without time zone", "timestamp"],
    ["time without time zone", "time"],
    ["jsonb", "json"],
    ["json", "json"],
    ["text[]", "array"],
    ["integer[]", "array"],
    ["bytea", "binary"],
    ["USER-DEFINED", "unknown"],
    ["mood", "unknown"],
  ])("%s → %s", (type, kind) => {
    expect(valueKind(type)).toBe(kind);
  });
});

describe("fieldTypeVerdict", () => {
  it("passes matching types and names the cast for convertible ones", () => {
    expect(fieldTypeVerdict("text", "string")).toBeUndefined();
    expect(fieldTypeVerdict("integer", "integer")).toBeUndefined();
    expect(fieldTypeVerdict("timestamp", "datetime")).toBeUndefined();
    expect(fieldTypeVerdict("date", "datetime")).toBeUndefined();
    expect(fieldTypeVerdict("boolean", "json")).toBeUndefined();
    expect(fieldTypeVerdict("unknown", "number")).toBeUndefined();
    expect(fieldTypeVerdict("decimal", "number")).toMatchObject({ severity: "warning", cast: "number" });
    expect(fieldTypeVerdict("bigint", "integer")).toMatchObject({ severity: "warning", cast: "number" });
    expect(fieldTypeVerdict("text", "number")).toMatchObject({ severity: "warning", cast: "number" });
    expect(fieldTypeVerdict("integer", "string")).toMatchObject({ severity: "warning", cast: "string" });
    expect(fieldTypeVerdict("json", "string")).toMatchObject({ severity: "warning", cast: "string" });
    expect(fieldTypeVerdict("text", "boolean")).toMatchObject({ severity: "warning", cast: "boolean" });
    expect(fieldTypeVerdict("text", "datetime")).toMatchObject({ severity: "warning", cast: "date" });
  });

  it("errs where no cast helps, and says what to change in SQL", () => {
    expect(fieldTypeVerdict("boolean", "date")).toMatchObject({ severity: "error", fix: "convert it in the model's SQL" });
    expect(fieldTypeVerdict("json", "number")).toMatchObject({ severity: "error" });
    expect(fieldTypeVerdict("integer", "datetime", "signup_ts")).toEqual({
      severity: "error",
      why: "numbers are not timestamps",
      fix: "if they are Unix seconds, use to_timestamp(signup_ts) in SQL",
    });
    expect(fieldTypeVerdict("float", "integer", "seats")).toMatchObject({
      severity: "warning",
      fix: "round it in SQL: round(seats)",
    });
    expect(fieldTypeVerdict("timestamp", "date", "renews_at")?.fix).toBe("send the day only: renews_at::date in SQL");
  });
});

describe("suggestMappings", () => {
  it("pairs columns with fields by exact name, casing, synonyms and labels", () => {
    const columns = [
      col("id", "integer"),
      col("Email_Address"),
      col("given_name"),
      col("surname"),
      col("mobile"),
      col("organization"),
      col("country_code"),
      col("signup_date", "date"),
      col("score", "numeric(10,2)"),
      col("internal_note"),
    ];
    const suggestions = suggestMappings(columns, CONTACT_FIELDS);
    expect(pairs(suggestions)).toEqual([
      "Email_Address→email",
      "given_name→firstname",
      "surname→lastname",
      "mobile→phone",
      "organization→company",
      "country_code→country",
      "signup_date→createdate",
      "score→score",
    ]);
    // Numeric arrives as text: the suggestion carries the cast the number field needs.
    expect(suggestions.find((s) => s.to === "score")).toMatchObject({ cast: "number", reason: "same name" });
    expect(suggestions.find((s) => s.to === "createdate")?.cast).toBeUndefined();
    for (const s of suggestions) {
      expect(s.score).toBeGreaterThanOrEqual(0.5);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it("matches a field by its label when its name is an internal one", () => {
    const fields: MapperField[] = [
      { name: "name", label: "Company name", type: "string" },
      { name: "numberofemployees", label: "Number of employees", type: "number" },
    ];
    const s = suggestMappings([col("company_name"), col("employee_count", "integer")], fields);
    expect(pairs(s)).toEqual(["company_name→name", "employee_count→numberofemployees"]);
    expect(s[0]?.reason).toBe('matches the field\'s label "Company name"');
  });

  it("never suggests a field or a column twice, giving each to its best partner", () => {
    const s = suggestMappings(
      [col("email"), col("email_address"), col("work_email")],
      [
        { name: "email", type: "string" },
        { name: "secondary_email", type: "string" },
      ],
    );
    expect(pairs(s)).toEqual(["email→email", "email_address→secondary_email"]);
    expect(new Set(s.map((x) => x.from)).size).toBe(s.length);
  });

  it("skips fields and columns the mapping already uses, including nested paths", () => {
    const existing: Mapping[] = [
      { from: "mail", to: "email" },
      { from: "plan", to: "traits.plan" },
    ];
    const s = suggestMappings([col("mail"), col("email"), col("first_name"), col("traits", "jsonb")], CONTACT_FIELDS, existing);
    expect(pairs(s)).toEqual(["first_name→firstname"]);
  });

  it("does not pair names that only share a generic word or whose types cannot fit", () => {
    const s = suggestMappings(
      [col("account_id", "bigint"), col("is_active_flag", "jsonb")],
      [
        { name: "user_id", type: "string" },
        { name: "is_active", type: "boolean" },
      ],
    );
    expect(s).toEqual([]);
  });

  it("suggests every unused column under its own name for a free-form object", () => {
    const s = suggestMappings([col("id", "integer"), col("email"), col("a.b")], [], [{ from: "id", to: "id" }], {
      freeForm: true,
    });
    expect(pairs(s)).toEqual(["email→email", "a.b→a.b"]);
    expect(s[0]?.score).toBe(1);
  });
});

describe("checkMappings", () => {
  const columns = [
    col("id", "integer"),
    col("email"),
    col("last_name"),
    col("score", "numeric(10,2)"),
    col("seats", "bigint"),
    col("active", "boolean"),
    col("signed_up", "timestamp with time zone"),
    col("renews_on", "date"),
    col("props", "jsonb"),
    col("tags", "text[]"),
  ];

  it("finds nothing wrong in a good mapping", () => {
    const spec: Mapping[] = [
      { from: "email", to: "email" },
      { from: "last_name", to: "lastname" },
      { from: "score", to: "score", cast: "number" },
      { from: "seats", to: "seats", cast: "number" },
      { from: "active", to: "is_active" },
      { from: "signed_up", to: "createdate" },
      { from: "renews_on", to: "renewal" },
      { from: "props", to: "traits" },
      { constant: "sluice", to: "phone" },
    ];
    expect(checkMappings(spec, columns, CONTACT_FIELDS, { mode: "upsert", modes: ["upsert", "mirror"] })).toEqual([]);
  });

  it("errs on an unmapped identifier for modes that match records, and only warns for insert", () => {
    const spec: Mapping[] = [{ from: "last_name", to: "lastname" }];
    const issues = checkMappings(spec, columns, CONTACT_FIELDS, { mode: "upsert", objectLabel: "contacts" });
    expect(issues).toEqual([
      {
        severity: "error",
        code: "identifier_unmapped",
        field: "email",
        message: 'No identifier is mapped: Upsert mode needs "Email" (email) to find each record in contacts.',
        fix: 'Map "email" to email.',
      },
    ]);
    expect(codes(checkMappings(spec, columns, CONTACT_FIELDS, { mode: "mirror" }))).toEqual(["error:identifier_unmapped"]);
    expect(codes(checkMappings(spec, columns, CONTACT_FIELDS, { mode: "insert" }))).toEqual(["warning:identifier_unmapped"]);
  });

  it("errs on unmapped required fields, naming the column to use", () => {
    const issues = checkMappings([{ from: "email", to: "email" }], columns, CONTACT_FIELDS, {
      mode: "upsert",
      objectLabel: "contacts",
    });
    expect(issues).toEqual([
      {
        severity: "error",
        code: "required_unmapped",
        field: "lastname",
        message: '"Last name" (lastname) is required by contacts and is not mapped: records without it would be rejected.',
        fix: 'Map "last_name" to lastname.',
      },
    ]);
    expect(codes(checkMappings([{ from: "email", to: "email" }], columns, CONTACT_FIELDS, { mode: "update" }))).toEqual([
      "warning:required_unmapped",
    ]);
    // Without columns it still says what to map.
    expect(checkMappings([{ from: "email", to: "email" }], undefined, CONTACT_FIELDS)[0]?.fix).toBe(
      "Map a column (or a constant) to lastname.",
    );
  });

  it("errs on a column the model does not have, suggesting the near one", () => {
    const issues = checkMappings(
      [
        { from: "emial", to: "email" },
        { from: "last_name", to: "lastname" },
      ],
      columns,
      CONTACT_FIELDS,
    );
    expect(issues).toEqual([
      {
        severity: "error",
        code: "column_missing",
        index: 0,
        column: "emial",
        field: "email",
        message: 'Column "emial" is not in the model, so every row would be rejected.',
        fix: 'Did you mean "email"?',
      },
    ]);
    // Columns unknown (not given): not checked.
    expect(
      checkMappings(
        [
          { from: "emial", to: "email" },
          { from: "x", to: "lastname" },
        ],
        undefined,
        CONTACT_FIELDS,
      ),
    ).toEqual([]);
  });

  it("names the cast that fixes a type mismatch, and errs where none does", () => {
    const spec: Mapping[] = [
      { from: "email", to: "email" },
      { from: "last_name", to: "lastname" },
      { from: "score", to: "score" },
      { from: "active", to: "createdate" },
      { from: "id", to: "phone" },
      { from: "tags", to: "company" },
      { from: "signed_up", to: "renewal" },
    ];
    const issues = checkMappings(spec, columns, CONTACT_FIELDS);
    expect(codes(issues)).toEqual([
      "warning:type_mismatch#2",
      "error:type_mismatch#3",
      "warning:type_mismatch#4",
      "warning:type_mismatch#5",
      "warning:type_mismatch#6",
    ]);
    expect(issues[0]).toEqual({
      severity: "warning",
      code: "type_mismatch",
      index: 2,
      column: "score",
      field: "score",
      message: '"score" is numeric(10,2) but "score" is a number field: it arrives as text to keep its precision.',
      fix: "Cast it to number.",
      cast: "number",
    });
    expect(issues[1]?.message).toBe(
      '"active" is boolean but "Create date" (createdate) is a datetime field: boolean values are not timestamps.',
    );
    expect(issues[1]?.fix).toBe("Convert it in the model's SQL.");
    expect(issues[2]).toMatchObject({ cast: "string", fix: "Cast it to string." });
    expect(issues[3]).toMatchObject({ cast: "string" });
    expect(issues[4]?.fix).toBe("Send the day only: signed_up::date in SQL.");
  });

  it("errs on a cast that fails for every value of the column", () => {
    const issues = checkMappings(
      [
        { from: "email", to: "email" },
        { from: "last_name", to: "lastname" },
        { from: "renews_on", to: "score", cast: "number" },
        { from: "props", to: "is_active", cast: "boolean" },
      ],
      columns,
      CONTACT_FIELDS,
    );
    expect(issues).toEqual([
      {
        severity: "error",
        code: "cast_fails",
        index: 2,
        column: "renews_on",
        field: "score",
        message: 'Casting "renews_on" (date) to number fails for every value, so every row would be rejected.',
        fix: "Remove the cast.",
      },
      expect.objectContaining({ code: "cast_fails", index: 3 }),
    ]);
  });

  it("accepts a cast that produces the field's type", () => {
    const spec: Mapping[] = [
      { from: "email", to: "email" },
      { from: "last_name", to: "lastname" },
      { from: "id", to: "phone", cast: "string" },
      { from: "tags", to: "company", cast: "string" },
      // Text holding yes/no: the user chose the cast knowingly; rows it cannot read are rejected one by one.
      { from: "email", to: "is_active", cast: "boolean" },
    ];
    expect(checkMappings(spec, columns, CONTACT_FIELDS)).toEqual([]);
  });

  it("reports an invalid spec, an unsupported mode and unknown fields", () => {
    const spec: Mapping[] = [
      { from: "email", to: "email" },
      { from: "email", to: "email" },
      { from: "last_name", to: "lastname" },
      { from: "last_name", to: "last_nme" },
      { from: "props", to: "traits.anything" },
    ];
    const issues = checkMappings(spec, columns, CONTACT_FIELDS, {
      mode: "insert",
      modes: ["upsert", "update"],
      objectLabel: "contacts",
    });
    expect(codes(issues)).toEqual(["error:spec_invalid#1", "error:mode_unsupported", "warning:field_unknown#3"]);
    expect(issues[0]?.message).toBe('"email" is already mapped by mappings[0].');
    expect(issues[1]).toMatchObject({ message: "Contacts cannot be synced in insert mode.", fix: "Choose upsert or update." });
    expect(issues[2]?.fix).toBe('Did you mean "lastname"?');
    expect(checkMappings([], columns, CONTACT_FIELDS, { freeForm: true })).toEqual([
      { severity: "error", code: "spec_invalid", message: "Map at least one field." },
    ]);
  });

  it("checks only columns and types on a free-form object", () => {
    const spec: Mapping[] = [
      { from: "whatever", to: "x" },
      { from: "email", to: "y" },
    ];
    expect(codes(checkMappings(spec, columns, [], { freeForm: true, mode: "mirror" }))).toEqual(["error:column_missing#0"]);
  });
});

describe("previewPayloads", () => {
  it("maps each row or says why it would be rejected", () => {
    const spec: Mapping[] = [
      { from: "email", to: "email" },
      { from: "score", to: "traits.score", cast: "number" },
      { constant: "sluice", to: "traits.source" },
    ];
    const out = previewPayloads(
      [
        { email: "a@x", score: "12.50" },
        { email: "b@x", score: "n/a" },
        { email: "c@x", score: null },
      ],
      spec,
    );
    expect(out).toEqual([
      { ok: true, data: { email: "a@x", traits: { score: 12.5, source: "sluice" } } },
      { ok: false, reason: 'column "score": "n/a" is not a number' },
      { ok: true, data: { email: "c@x", traits: { score: null, source: "sluice" } } },
    ]);
    expect(previewPayloads([{}], [{ from: "email", to: "email" }])).toEqual([
      { ok: false, reason: 'column "email" is missing from the model\'s row' },
    ]);
  });
});

describe("mapper inputs", () => {
  it("need a model: its id, a source and SQL, or columns", () => {
    expect(SuggestMappingsInput.safeParse({ destinationId: "d" }).error?.issues[0]).toMatchObject({
      path: ["modelId"],
      message: "give a modelId, or a sourceId and a query, or the columns",
    });
    expect(SuggestMappingsInput.parse({ destinationId: "d", columns: [{ name: "a", type: "text" }] }).mappings).toEqual([]);
    expect(CheckMappingsInput.safeParse({ destinationId: "d", sourceId: "s", query: " ", mappings: [] }).success).toBe(false);
    expect(PreviewMappingInput.safeParse({ destinationId: "d", columns: [], mappings: [] }).success).toBe(false);
    expect(PreviewMappingInput.parse({ destinationId: "d", modelId: "m", mappings: [] }).limit).toBe(5);
    expect(PreviewMappingInput.safeParse({ destinationId: "d", modelId: "m", mappings: [], limit: 21 }).success).toBe(false);
  });

  it("narrow to one model reference", () => {
    expect(modelRefOf({ modelId: "m", sourceId: "s", query: "q" })).toEqual({ modelId: "m" });
    expect(modelRefOf({ sourceId: "s", query: "select 1" })).toEqual({ sourceId: "s", query: "select 1" });
    expect(modelRefOf({ columns: [] })).toEqual({ columns: [] });
    expect(modelRefOf({ sourceId: "s" })).toBeUndefined();
  });
});
