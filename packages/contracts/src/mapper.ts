// The visual mapper's logic, pure and browser-safe, so the screen can run it on every keystroke and the
// server can run the same code for the API: suggest column → field pairs by name, check a draft mapping
// against the model's columns and the destination object's fields (types, required fields, identifiers,
// modes), and show what sample rows become. Column types are the warehouse's own names (Postgres:
// integer, numeric(10,2), timestamp with time zone, jsonb, text[] …); field types are the contract's.
import { z } from "zod";
import { type Cast, compileMapping, FieldPath, isColumnMapping, type Mapping, MappingSchema, MappingSpecSchema } from "./mapping";
import { ModelQuerySchema, type SyncMode, SyncModeSchema } from "./sync-config";

export const FIELD_TYPES = ["string", "number", "integer", "boolean", "date", "datetime", "json"] as const;
export const FieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldTypeSchema>;

export const ModelColumnSchema = z.object({ name: z.string().min(1), type: z.string() });
export type ModelColumn = z.infer<typeof ModelColumnSchema>;

/** A destination object's field as the mapper shows it (the connectors' DestinationField has this shape). */
export const MapperFieldSchema = z.object({
  name: z.string().min(1),
  label: z.string().optional(),
  type: FieldTypeSchema,
  required: z.boolean().optional(),
  identifier: z.boolean().optional(),
  description: z.string().optional(),
  options: z.array(z.string()).optional(),
});
export type MapperField = z.infer<typeof MapperFieldSchema>;

/** A mapping being edited: each entry valid on its own, the whole possibly empty or conflicting (checkMappings says). */
export const DraftMappingsSchema = z.array(MappingSchema).max(500, "map at most 500 fields");

// ---- inputs of the mapper procedures (tRPC and REST) ----

const Id = z.string().min(1);
const ObjectName = z.string().trim().min(1).max(120).nullish();

export const MapperObjectInput = z.object({ destinationId: Id, object: ObjectName });
export type MapperObjectInput = z.input<typeof MapperObjectInput>;

/** Where the model's columns come from: a saved model, unsaved SQL over a source, or columns the caller already has. */
const ModelRefShape = {
  modelId: Id.optional(),
  sourceId: Id.optional(),
  query: ModelQuerySchema.optional(),
  columns: z.array(ModelColumnSchema).max(2_000).optional(),
};
export type ModelRef = { modelId: string } | { sourceId: string; query: string } | { columns: ModelColumn[] };

function refineModelRef(o: { modelId?: string; sourceId?: string; query?: string; columns?: unknown }, ctx: z.RefinementCtx) {
  if (o.modelId === undefined && o.columns === undefined && (o.sourceId === undefined || o.query === undefined)) {
    ctx.addIssue({ code: "custom", path: ["modelId"], message: "give a modelId, or a sourceId and a query, or the columns" });
  }
}

/** The model reference in an input, narrowed (modelId first, then sourceId + query, then columns). */
export function modelRefOf(o: {
  modelId?: string;
  sourceId?: string;
  query?: string;
  columns?: ModelColumn[];
}): ModelRef | undefined {
  if (o.modelId !== undefined) return { modelId: o.modelId };
  if (o.sourceId !== undefined && o.query !== undefined) return { sourceId: o.sourceId, query: o.query };
  if (o.columns !== undefined) return { columns: o.columns };
  return undefined;
}

export const SuggestMappingsInput = z
  .object({ destinationId: Id, object: ObjectName, ...ModelRefShape, mappings: DraftMappingsSchema.default([]) })
  .superRefine(refineModelRef);
export type SuggestMappingsInput = z.input<typeof SuggestMappingsInput>;

export const CheckMappingsInput = z
  .object({
    destinationId: Id,
    object: ObjectName,
    ...ModelRefShape,
    mode: SyncModeSchema.optional(),
    mappings: DraftMappingsSchema,
  })
  .superRefine(refineModelRef);
export type CheckMappingsInput = z.input<typeof CheckMappingsInput>;

export const MAX_PAYLOAD_PREVIEW_ROWS = 20;

export const PreviewMappingInput = z
  .object({
    destinationId: Id,
    object: ObjectName,
    modelId: Id.optional(),
    sourceId: Id.optional(),
    query: ModelQuerySchema.optional(),
    mappings: DraftMappingsSchema,
    limit: z.number().int().min(1).max(MAX_PAYLOAD_PREVIEW_ROWS).default(5),
  })
  .superRefine((o, ctx) => {
    if (o.modelId === undefined && (o.sourceId === undefined || o.query === undefined)) {
      ctx.addIssue({ code: "custom", path: ["modelId"], message: "give a modelId, or a sourceId and a query" });
    }
  });
export type PreviewMappingInput = z.input<typeof PreviewMappingInput>;

// ---- names ----

/** "firstName", "FIRST_NAME", "first name" → ["first", "name"]. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The name with case, separators and camelCase gone: first_name, firstName and "First name" → "firstname". */
export function compactName(name: string): string {
  return nameTokens(name).join("");
}

// Names that usually mean the same thing (compact form). One group per concept; a name is in one group.
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ["email", "emailaddress", "mail", "emailaddr", "useremail", "contactemail", "primaryemail", "workemail"],
  ["firstname", "givenname", "fname", "forename", "first"],
  ["lastname", "surname", "familyname", "lname", "last"],
  ["fullname", "displayname", "contactname", "personname"],
  ["phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "telephone", "tel", "cell", "cellphone", "phoneno"],
  ["company", "companyname", "organization", "organisation", "org", "orgname", "organizationname", "employer", "businessname"],
  ["country", "countrycode", "countryregion", "countryname", "nation"],
  ["city", "town", "locality"],
  ["state", "region", "province", "stateprovince"],
  ["zip", "zipcode", "postalcode", "postcode"],
  ["address", "streetaddress", "street", "address1", "addressline1"],
  [
    "createdat",
    "createdate",
    "created",
    "signupdate",
    "signedupat",
    "signupat",
    "registrationdate",
    "registeredat",
    "creationdate",
    "datecreated",
    "joinedat",
    "createdon",
  ],
  ["updatedat", "lastmodifieddate", "modifiedat", "lastmodified", "updated", "dateupdated", "updatedon", "hslastmodifieddate"],
  ["jobtitle", "title", "position"],
  ["website", "url", "websiteurl", "homepage", "site"],
  ["domain", "companydomain", "websitedomain", "companydomainname"],
  ["externalid", "userid", "customerid"],
  ["industry", "sector", "vertical"],
  ["numberofemployees", "employees", "employeecount", "headcount", "numemployees", "companysize"],
  ["annualrevenue", "revenue", "arr", "yearlyrevenue"],
  ["dateofbirth", "dob", "birthday", "birthdate"],
  ["gender", "sex"],
  ["language", "locale", "preferredlanguage"],
  ["timezone", "tz"],
  ["plan", "tier", "subscriptionplan", "planname", "pricingplan"],
  ["lifecyclestage", "lifecycle", "stage"],
];
const SYNONYM_OF = new Map<string, number>(SYNONYM_GROUPS.flatMap((group, i) => group.map((name) => [name, i] as const)));

// Words too common to say two names mean the same thing when they are all they share.
const GENERIC_TOKENS = new Set([
  "id",
  "name",
  "at",
  "on",
  "date",
  "time",
  "code",
  "type",
  "number",
  "num",
  "no",
  "is",
  "has",
  "the",
  "of",
]);

/** Edit distance with adjacent transpositions (optimal string alignment): "emial" → "email" is 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

interface NameMatch {
  score: number;
  reason: string;
}

/** How alike two names are, 0…1, with why; undefined below any kind of match. */
export function matchNames(column: string, target: string): NameMatch | undefined {
  if (column === target) return { score: 1, reason: "same name" };
  const a = compactName(column);
  const b = compactName(target);
  if (a.length === 0 || b.length === 0) return undefined;
  if (a === b) return { score: 0.97, reason: "same name, ignoring case and separators" };
  const group = SYNONYM_OF.get(a);
  if (group !== undefined && group === SYNONYM_OF.get(b)) {
    return { score: 0.9, reason: `"${column}" and "${target}" usually mean the same thing` };
  }
  const tokensA = nameTokens(column);
  const tokensB = nameTokens(target);
  // A key column ("company_id") is rarely the value a field without "id" wants ("company").
  const keyMismatch = (tokensA.at(-1) === "id") !== (tokensB.at(-1) === "id") ? 0.7 : 1;
  const canonical = (t: string) => {
    const g = SYNONYM_OF.get(t);
    return g === undefined ? t : `#${g}`;
  };
  const setB = new Set(tokensB.map(canonical));
  const shared = [...new Set(tokensA)].filter((t) => !GENERIC_TOKENS.has(t) && setB.has(canonical(t)));
  let best: NameMatch | undefined;
  if (shared.length > 0) {
    const score = (0.5 + (0.35 * shared.length) / Math.max(tokensA.length, tokensB.length)) * keyMismatch;
    best = { score, reason: `both mention "${shared.join('", "')}"` };
  }
  const longest = Math.max(a.length, b.length);
  const distance = editDistance(a, b);
  const similarity = 1 - distance / longest;
  if (longest >= 4 && (distance === 1 || similarity >= 0.75)) {
    const score = (0.45 + 0.25 * similarity) * keyMismatch;
    if (!best || score > best.score) best = { score, reason: `similar spelling ("${column}" ≈ "${target}")` };
  }
  return best;
}

function matchField(column: string, field: MapperField): NameMatch | undefined {
  const candidates: { text: string; label?: boolean }[] = [{ text: field.name }];
  const last = field.name.split(".").at(-1);
  if (last && last !== field.name) candidates.push({ text: last });
  if (field.label) candidates.push({ text: field.label, label: true });
  let best: NameMatch | undefined;
  for (const c of candidates) {
    const m = matchNames(column, c.text);
    if (!m) continue;
    // A label match is as telling as a name match, but the name wins a tie.
    const score = c.label ? m.score * 0.98 : m.score;
    const reason = c.label && m.score >= 0.97 ? `matches the field's label "${c.text}"` : m.reason;
    if (!best || score > best.score) best = { score, reason };
  }
  return best;
}

// ---- types ----

/** What a column's values are in Node once read (pg returns bigint and numeric as strings, dates as 'YYYY-MM-DD'). */
export type ValueKind =
  | "integer"
  | "bigint"
  | "decimal"
  | "float"
  | "text"
  | "boolean"
  | "date"
  | "timestamp"
  | "time"
  | "json"
  | "array"
  | "binary"
  | "unknown";

const KINDS: Record<string, ValueKind> = {
  smallint: "integer",
  integer: "integer",
  int: "integer",
  int2: "integer",
  int4: "integer",
  serial: "integer",
  smallserial: "integer",
  tinyint: "integer",
  mediumint: "integer",
  bigint: "bigint",
  int8: "bigint",
  bigserial: "bigint",
  numeric: "decimal",
  decimal: "decimal",
  real: "float",
  "double precision": "float",
  double: "float",
  float: "float",
  float4: "float",
  float8: "float",
  text: "text",
  "character varying": "text",
  varchar: "text",
  character: "text",
  char: "text",
  bpchar: "text",
  citext: "text",
  uuid: "text",
  name: "text",
  inet: "text",
  cidr: "text",
  macaddr: "text",
  xml: "text",
  money: "text",
  interval: "text",
  string: "text",
  boolean: "boolean",
  bool: "boolean",
  date: "date",
  timestamp: "timestamp",
  "timestamp without time zone": "timestamp",
  "timestamp with time zone": "timestamp",
  timestamptz: "timestamp",
  datetime: "timestamp",
  time: "time",
  "time without time zone": "time",
  "time with time zone": "time",
  timetz: "time",
  json: "json",
  jsonb: "json",
  variant: "json",
  object: "json",
  bytea: "binary",
  blob: "binary",
  binary: "binary",
};

/** A warehouse type name → what its values are: "numeric(10,2)" → decimal, "text[]" → array. */
export function valueKind(type: string): ValueKind {
  const t = type.trim().toLowerCase();
  if (t.endsWith("[]") || t.startsWith("array")) return "array";
  const base = t
    .replace(/\([^)]*\)/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return KINDS[base] ?? "unknown";
}

type CastFit = "ok" | "some rows" | "no rows";

/** Whether `cast` accepts values of `kind` (castValue in mapping.ts): always, only some values, or never. */
function castFit(kind: ValueKind, cast: Cast): CastFit {
  if (kind === "unknown" || cast === "string") return "ok";
  if (cast === "json") return kind === "text" ? "some rows" : "ok";
  const table: Record<Exclude<Cast, "string" | "json">, Partial<Record<ValueKind, CastFit>>> = {
    number: { integer: "ok", bigint: "ok", decimal: "ok", float: "ok", text: "some rows" },
    boolean: {
      boolean: "ok",
      integer: "some rows",
      bigint: "some rows",
      decimal: "some rows",
      float: "some rows",
      text: "some rows",
    },
    date: { date: "ok", timestamp: "ok", text: "some rows" },
  };
  return table[cast][kind] ?? "no rows";
}

/** The kind of value a cast produces from `kind`. */
function castKind(kind: ValueKind, cast: Cast): ValueKind {
  switch (cast) {
    case "string":
      return "text";
    case "number":
      return kind === "integer" || kind === "bigint" ? "integer" : "float";
    case "boolean":
      return "boolean";
    case "date":
      return kind === "timestamp" ? "timestamp" : "date";
    case "json":
      return "json";
  }
}

export interface TypeVerdict {
  severity: "warning" | "error";
  /** Why, finishing "<column> is <type> but <field> is a <field type> field: …". */
  why: string;
  /** The cast that fixes it, when one does. */
  cast?: Cast;
  /** What to do when no cast fixes it (usually a change in the model's SQL). */
  fix?: string;
}

const IN_SQL = "convert it in the model's SQL";

/** Whether values of `kind` suit a field of `type`; undefined when they do. */
export function fieldTypeVerdict(kind: ValueKind, type: FieldType, column = "column"): TypeVerdict | undefined {
  if (kind === "unknown" || type === "json") return undefined;
  if (kind === "binary") {
    return {
      severity: "warning",
      why: "binary values arrive as byte arrays",
      fix: `encode it in SQL: encode(${column}, 'base64')`,
    };
  }
  switch (type) {
    case "string":
      if (kind === "integer" || kind === "float" || kind === "boolean") {
        return { severity: "warning", why: `it would be sent as a ${kind === "boolean" ? "boolean" : "number"}`, cast: "string" };
      }
      if (kind === "json" || kind === "array")
        return { severity: "warning", why: "it would be sent as a JSON value", cast: "string" };
      return undefined;
    case "number":
    case "integer": {
      if (kind === "integer") return undefined;
      if (kind === "bigint") {
        return {
          severity: "warning",
          why: "it arrives as text to keep its precision (beyond 2^53 a number rounds)",
          cast: "number",
        };
      }
      if (kind === "decimal") {
        const fractions = type === "integer" ? "; fractions would reach an integer field: round(…) in SQL" : "";
        return { severity: "warning", why: `it arrives as text to keep its precision${fractions}`, cast: "number" };
      }
      if (kind === "float") {
        return type === "integer"
          ? { severity: "warning", why: "values with fractions would be rejected", fix: `round it in SQL: round(${column})` }
          : undefined;
      }
      if (kind === "text")
        return { severity: "warning", why: "rows whose value is not a number would be rejected", cast: "number" };
      return { severity: "error", why: `${kindName(kind)} values are not numbers`, fix: IN_SQL };
    }
    case "boolean":
      if (kind === "boolean") return undefined;
      if (kind === "integer" || kind === "bigint" || kind === "decimal" || kind === "float" || kind === "text") {
        return {
          severity: "warning",
          why: "only values like true/false, yes/no or 1/0 convert; others would be rejected",
          cast: "boolean",
        };
      }
      return { severity: "error", why: `${kindName(kind)} values are not booleans`, fix: IN_SQL };
    case "date":
      if (kind === "date") return undefined;
      if (kind === "timestamp") {
        return {
          severity: "warning",
          why: "it would be sent with a time of day",
          fix: `send the day only: ${column}::date in SQL`,
        };
      }
      if (kind === "text") return { severity: "warning", why: "rows whose value is not a date would be rejected", cast: "date" };
      return { severity: "error", why: `${kindName(kind)} values are not dates`, fix: IN_SQL };
    case "datetime":
      if (kind === "timestamp" || kind === "date") return undefined;
      if (kind === "text")
        return { severity: "warning", why: "rows whose value is not a date and time would be rejected", cast: "date" };
      if (kind === "integer" || kind === "bigint") {
        return {
          severity: "error",
          why: "numbers are not timestamps",
          fix: `if they are Unix seconds, use to_timestamp(${column}) in SQL`,
        };
      }
      return { severity: "error", why: `${kindName(kind)} values are not timestamps`, fix: IN_SQL };
  }
}

function kindName(kind: ValueKind): string {
  const names: Partial<Record<ValueKind, string>> = { json: "JSON", array: "array", time: "time-of-day", timestamp: "timestamp" };
  return names[kind] ?? kind;
}

// ---- suggestions ----

export interface MappingSuggestion {
  from: string;
  to: string;
  /** 0…1: 1 is the same name. */
  score: number;
  reason: string;
  /** The cast the column needs for this field's type, when one helps. */
  cast?: Cast;
}

export const MIN_SUGGESTION_SCORE = 0.5;

/** True when `a` and `b` are the same field or one nests inside the other ("traits" and "traits.plan"). */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * Column → field pairs by name (exact, ignoring case/separators/camelCase, synonyms, shared words, close
 * spelling), each field and each column at most once, best pairs first; fields and columns the existing
 * mapping already uses are left alone. `freeForm`: the object takes any field (a webhook), so each unused
 * column is suggested under its own name.
 */
export function suggestMappings(
  columns: readonly ModelColumn[],
  fields: readonly MapperField[],
  existing: readonly Mapping[] = [],
  options: { freeForm?: boolean } = {},
): MappingSuggestion[] {
  const usedTargets = existing.map((m) => m.to);
  const usedColumns = new Set(existing.filter(isColumnMapping).map((m) => m.from));
  const freeColumns = columns.filter((c) => !usedColumns.has(c.name));
  if (options.freeForm) {
    const out: MappingSuggestion[] = [];
    for (const c of freeColumns) {
      if (!FieldPath.safeParse(c.name).success || [...usedTargets, ...out.map((s) => s.to)].some((t) => overlaps(t, c.name)))
        continue;
      out.push({ from: c.name, to: c.name, score: 1, reason: "this object takes any field: sent under the column's name" });
    }
    return out;
  }
  const freeFields = fields.filter((f) => !usedTargets.some((t) => overlaps(t, f.name)));
  const pairs: (MappingSuggestion & { fieldIndex: number; columnIndex: number; key: boolean })[] = [];
  freeFields.forEach((field, fieldIndex) => {
    freeColumns.forEach((column, columnIndex) => {
      const match = matchField(column.name, field);
      if (!match) return;
      const verdict = fieldTypeVerdict(valueKind(column.type), field.type, column.name);
      // A type the field cannot take makes a name match doubtful; one a cast fixes only slightly.
      const penalty = !verdict ? 0 : verdict.severity === "error" ? 0.3 : verdict.cast ? 0.05 : 0.1;
      const score = Math.round((match.score - penalty) * 100) / 100;
      if (score < MIN_SUGGESTION_SCORE) return;
      const suggestion: MappingSuggestion = { from: column.name, to: field.name, score, reason: match.reason };
      if (verdict?.cast) suggestion.cast = verdict.cast;
      pairs.push({ ...suggestion, fieldIndex, columnIndex, key: !!(field.identifier || field.required) });
    });
  });
  pairs.sort(
    (x, y) => y.score - x.score || Number(y.key) - Number(x.key) || x.fieldIndex - y.fieldIndex || x.columnIndex - y.columnIndex,
  );
  const takenFields = new Set<string>();
  const takenColumns = new Set<string>();
  const chosen: (MappingSuggestion & { fieldIndex: number })[] = [];
  for (const { fieldIndex, columnIndex: _c, key: _k, ...s } of pairs) {
    if (takenFields.has(s.to) || takenColumns.has(s.from)) continue;
    takenFields.add(s.to);
    takenColumns.add(s.from);
    chosen.push({ ...s, fieldIndex });
  }
  return chosen.sort((x, y) => x.fieldIndex - y.fieldIndex).map(({ fieldIndex: _f, ...s }) => s);
}

// ---- checks ----

export const MAPPING_ISSUE_CODES = [
  "spec_invalid",
  "mode_unsupported",
  "identifier_unmapped",
  "required_unmapped",
  "column_missing",
  "field_unknown",
  "type_mismatch",
  "cast_fails",
] as const;
export type MappingIssueCode = (typeof MAPPING_ISSUE_CODES)[number];

export interface MappingIssue {
  severity: "error" | "warning";
  code: MappingIssueCode;
  /** The mapping entry at fault (index in the spec), when one is. */
  index?: number;
  field?: string;
  column?: string;
  message: string;
  /** What to do about it, in words. */
  fix?: string;
  /** The cast that fixes it: set it on the mapping at `index`. */
  cast?: Cast;
}

export interface CheckMappingsOptions {
  /** The sync's mode, checked against `modes` and deciding whether an identifier is a must. */
  mode?: SyncMode;
  /** The modes the object supports. */
  modes?: readonly SyncMode[];
  /** The object takes any field (a webhook): no required, identifier or unknown-field checks. */
  freeForm?: boolean;
  /** How the object reads in messages ("Contacts"); default "this object". */
  objectLabel?: string;
}

const MODES_NEEDING_IDENTIFIER: readonly SyncMode[] = ["upsert", "update", "mirror"];

/**
 * Everything wrong or doubtful about a (draft) mapping: an invalid or empty spec, a mode the object does
 * not support, an unmapped identifier or required field, a column the model lacks (`columns` undefined:
 * not known, not checked), a field the object lacks, and type mismatches with the cast that fixes them.
 */
export function checkMappings(
  spec: readonly Mapping[],
  columns: readonly ModelColumn[] | undefined,
  fields: readonly MapperField[],
  options: CheckMappingsOptions = {},
): MappingIssue[] {
  const issues: MappingIssue[] = [];
  const objectLabel = options.objectLabel ?? "this object";
  const parsed = MappingSpecSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const index = typeof issue.path[0] === "number" ? issue.path[0] : undefined;
      const entry = index === undefined ? undefined : spec[index];
      issues.push({
        severity: "error",
        code: "spec_invalid",
        ...(index === undefined ? {} : { index }),
        ...(entry ? { field: entry.to } : {}),
        message: issue.message === "map at least one field" ? "Map at least one field." : `${capitalise(issue.message)}.`,
      });
    }
  }
  const { mode, modes } = options;
  if (mode && modes && !modes.includes(mode)) {
    issues.push({
      severity: "error",
      code: "mode_unsupported",
      message: `${capitalise(objectLabel)} cannot be synced in ${mode} mode.`,
      fix: `Choose ${modes.join(" or ")}.`,
    });
  }
  const byName = new Map(fields.map((f) => [f.name, f]));
  const mapped = spec.map((m) => m.to);
  const isMapped = (f: MapperField) => mapped.some((t) => t === f.name || t.startsWith(`${f.name}.`));
  if (!options.freeForm) {
    const identifiers = fields.filter((f) => f.identifier);
    const identifierMissing = identifiers.length > 0 && !identifiers.some(isMapped);
    if (identifierMissing) {
      const names = identifiers.map(describeField).join(" or ");
      const needed = !mode || MODES_NEEDING_IDENTIFIER.includes(mode);
      issues.push({
        severity: needed ? "error" : "warning",
        code: "identifier_unmapped",
        field: identifiers[0]?.name,
        message: needed
          ? `No identifier is mapped: ${capitalise(mode ?? "upsert")} mode needs ${names} to find each record in ${objectLabel}.`
          : `No identifier is mapped (${names}): records can be created but never matched again.`,
        fix: fixFor(identifiers, columns, spec),
      });
    }
    for (const field of fields) {
      if (!field.required || isMapped(field) || (identifierMissing && field.identifier)) continue;
      issues.push({
        severity: mode === "update" ? "warning" : "error",
        code: "required_unmapped",
        field: field.name,
        message:
          mode === "update"
            ? `${describeField(field)} is required when a record is created; update mode only changes existing ones.`
            : `${describeField(field)} is required by ${objectLabel} and is not mapped: records without it would be rejected.`,
        fix: fixFor([field], columns, spec),
      });
    }
  }
  const columnTypes = columns ? new Map(columns.map((c) => [c.name, c.type])) : undefined;
  spec.forEach((m, index) => {
    const field = byName.get(m.to);
    if (!options.freeForm && !field && !fields.some((f) => f.type === "json" && m.to.startsWith(`${f.name}.`))) {
      const near = closest(
        m.to,
        fields.map((f) => f.name),
      );
      issues.push({
        severity: "warning",
        code: "field_unknown",
        index,
        field: m.to,
        message: `"${m.to}" is not a known field of ${objectLabel}; the destination may reject it.`,
        ...(near ? { fix: `Did you mean "${near}"?` } : {}),
      });
    }
    if (!isColumnMapping(m) || !columnTypes) return;
    const type = columnTypes.get(m.from);
    if (type === undefined) {
      const near = closest(m.from, [...columnTypes.keys()]);
      issues.push({
        severity: "error",
        code: "column_missing",
        index,
        column: m.from,
        field: m.to,
        message: `Column "${m.from}" is not in the model, so every row would be rejected.`,
        fix: near ? `Did you mean "${near}"?` : "Pick one of the model's columns, or add it to the model's SQL.",
      });
      return;
    }
    const kind = valueKind(type);
    if (m.cast && castFit(kind, m.cast) === "no rows") {
      const better = field ? fieldTypeVerdict(kind, field.type, m.from) : undefined;
      issues.push({
        severity: "error",
        code: "cast_fails",
        index,
        column: m.from,
        field: m.to,
        message: `Casting "${m.from}" (${type}) to ${m.cast} fails for every value, so every row would be rejected.`,
        ...(better?.cast ? { fix: `Cast it to ${better.cast} instead.`, cast: better.cast } : { fix: "Remove the cast." }),
      });
      return;
    }
    if (!field) return;
    const verdict = fieldTypeVerdict(m.cast ? castKind(kind, m.cast) : kind, field.type, m.from);
    if (!verdict || (verdict.cast && verdict.cast === m.cast)) return;
    const shown = m.cast ? `${type}, cast to ${m.cast}` : type;
    issues.push({
      severity: verdict.severity,
      code: "type_mismatch",
      index,
      column: m.from,
      field: m.to,
      message: `"${m.from}" is ${shown} but ${describeField(field)} is a ${field.type} field: ${verdict.why}.`,
      ...(verdict.cast
        ? { fix: `Cast it to ${verdict.cast}.`, cast: verdict.cast }
        : verdict.fix
          ? { fix: `${capitalise(verdict.fix)}.` }
          : {}),
    });
  });
  return issues;
}

function describeField(f: MapperField): string {
  return f.label && f.label !== f.name ? `"${f.label}" (${f.name})` : `"${f.name}"`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Map a column to …", naming the best candidate column when there is one. */
function fixFor(targets: readonly MapperField[], columns: readonly ModelColumn[] | undefined, spec: readonly Mapping[]): string {
  const best = columns ? suggestMappings(columns, targets, spec)[0] : undefined;
  const names = targets.map((t) => t.name).join(" or ");
  return best ? `Map "${best.from}" to ${best.to}.` : `Map a column (or a constant) to ${names}.`;
}

/** The candidate nearest `name` by normalised spelling, when it is near enough to be a likely typo. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; score: number } | undefined;
  for (const c of candidates) {
    const m = matchNames(name, c);
    if (m && m.score >= 0.6 && (!best || m.score > best.score)) best = { name: c, score: m.score };
  }
  return best?.name;
}

// ---- payload preview ----

export type PayloadPreview = { ok: true; data: Record<string, unknown> } | { ok: false; reason: string };

/** What each row becomes under the mapping (applyMapping's rules), or why it would be rejected. */
export function previewPayloads(rows: readonly Record<string, unknown>[], spec: readonly Mapping[]): PayloadPreview[] {
  const map = compileMapping(spec as Mapping[]);
  return rows.map((row) => map(row));
}
