// The mapper's editing state and its rules, pure so they run on every keystroke and are tested without a
// browser. A draft row is one mapping being edited: a column (with an optional cast) or a constant typed as
// text, number, boolean or JSON, going to a field path. Rows that are not complete yet (no column chosen,
// a constant that does not parse, no field path) stay in the draft with a problem and are left out of the
// spec, so the checks and the payload preview always see a valid shape.
import type { FieldType, MappingIssue, MappingSuggestion } from "@sluice/contracts/mapper";
import type { Cast, ConstantMapping, Mapping } from "@sluice/contracts/mapping";

export const CONSTANT_TYPES = ["text", "number", "boolean", "json"] as const;
export type ConstantType = (typeof CONSTANT_TYPES)[number];

export type DraftSource =
  | { kind: "column"; column: string; cast?: Cast }
  | { kind: "constant"; type: ConstantType; text: string };

export interface DraftRow {
  /** Stable across edits, for React keys and for tying issues back to the row. */
  id: string;
  to: string;
  source: DraftSource;
}

export interface DraftProblem {
  rowId: string;
  message: string;
}

let lastId = 0;
/** A row id unique within this page. */
export function newRowId(): string {
  lastId += 1;
  return `row-${lastId}`;
}

// ---- constants ----

/** How a stored constant is edited: its JSON type picks the editor, its text is what the input shows. */
export function constantDraft(value: unknown): { type: ConstantType; text: string } {
  if (typeof value === "string") return { type: "text", text: value };
  if (typeof value === "number") return { type: "number", text: String(value) };
  if (typeof value === "boolean") return { type: "boolean", text: String(value) };
  return { type: "json", text: JSON.stringify(value ?? null) };
}

export type ParsedConstant = { ok: true; value: unknown } | { ok: false; error: string };

/** The typed text as the constant's value, or what is wrong with it. */
export function parseConstant(type: ConstantType, text: string): ParsedConstant {
  switch (type) {
    case "text":
      return { ok: true, value: text };
    case "number": {
      const trimmed = text.trim();
      if (trimmed === "") return { ok: false, error: "Enter a number, e.g. 42 or 0.5" };
      const n = Number(trimmed);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: `"${trimmed}" is not a number` };
    }
    case "boolean":
      if (text === "true" || text === "false") return { ok: true, value: text === "true" };
      return { ok: false, error: "Choose true or false" };
    case "json":
      if (text.trim() === "") return { ok: false, error: 'Enter a JSON value, e.g. {"tier": "gold"} or ["a", "b"]' };
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch (error) {
        return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
      }
  }
}

/** The constant editor a field of `type` starts with (free-form fields: text). */
export function constantTypeFor(type: FieldType | undefined): ConstantType {
  if (type === "number" || type === "integer") return "number";
  if (type === "boolean") return "boolean";
  if (type === "json") return "json";
  return "text";
}

/** A constant row's starting source for a field of `type`. */
export function constantSourceFor(type: FieldType | undefined): DraftSource {
  const kind = constantTypeFor(type);
  return { kind: "constant", type: kind, text: kind === "boolean" ? "true" : "" };
}

/** The text to start from when a constant's type changes: the old value carried over where it still makes sense. */
export function convertConstantText(from: ConstantType, to: ConstantType, text: string): string {
  if (to === "boolean") return text === "false" ? "false" : "true";
  if (to === "json" && from !== "json") {
    const parsed = parseConstant(from, text);
    return parsed.ok ? JSON.stringify(parsed.value) : "";
  }
  if (from === "json" && to !== "json") {
    const parsed = parseConstant("json", text);
    return parsed.ok && typeof parsed.value !== "object" ? String(parsed.value) : "";
  }
  return from === "boolean" ? "" : text;
}

// ---- spec ↔ rows ----

export function rowsFromSpec(spec: readonly Mapping[]): DraftRow[] {
  return spec.map((m) => ({
    id: newRowId(),
    to: m.to,
    source:
      "from" in m
        ? { kind: "column", column: m.from, ...(m.cast ? { cast: m.cast } : {}) }
        : { kind: "constant", ...constantDraft(m.constant) },
  }));
}

export interface DraftSpec {
  /** The complete rows as a mapping spec, in row order. */
  spec: Mapping[];
  /** `specRowIds[i]` is the row that spec entry `i` came from (issues name spec indexes). */
  specRowIds: string[];
  /** Rows left out of the spec, and why. */
  problems: DraftProblem[];
}

export function specFromRows(rows: readonly DraftRow[]): DraftSpec {
  const spec: Mapping[] = [];
  const specRowIds: string[] = [];
  const problems: DraftProblem[] = [];
  for (const row of rows) {
    const to = row.to.trim();
    if (to === "") {
      problems.push({ rowId: row.id, message: "Name the field this value goes to, e.g. email or traits.plan." });
      continue;
    }
    if (row.source.kind === "column") {
      if (row.source.column === "") {
        problems.push({ rowId: row.id, message: "Choose a column, or a constant value." });
        continue;
      }
      spec.push({ from: row.source.column, to, ...(row.source.cast ? { cast: row.source.cast } : {}) });
    } else {
      const parsed = parseConstant(row.source.type, row.source.text);
      if (!parsed.ok) {
        problems.push({ rowId: row.id, message: parsed.error });
        continue;
      }
      spec.push({ constant: parsed.value as ConstantMapping["constant"], to });
    }
    specRowIds.push(row.id);
  }
  return { spec, specRowIds, problems };
}

// ---- edits ----

/** Maps `column` to the field `to`: the field's row gets the column (cast cleared), or a new row is added. */
export function setFieldColumn(rows: readonly DraftRow[], to: string, column: string): DraftRow[] {
  const existing = rows.find((r) => r.to === to);
  if (!existing) return [...rows, { id: newRowId(), to, source: { kind: "column", column } }];
  return rows.map((r) => (r === existing ? { ...r, source: { kind: "column", column } } : r));
}

/** A free-form field fed by `column`, under the column's own name unless that name is taken. */
export function addColumnRow(rows: readonly DraftRow[], column: string): DraftRow[] {
  const taken = new Set(rows.map((r) => r.to));
  let to = column;
  for (let n = 2; taken.has(to); n++) to = `${column}_${n}`;
  return [...rows, { id: newRowId(), to, source: { kind: "column", column } }];
}

export function updateRow(rows: readonly DraftRow[], id: string, change: Partial<Omit<DraftRow, "id">>): DraftRow[] {
  return rows.map((r) => (r.id === id ? { ...r, ...change } : r));
}

export function removeRow(rows: readonly DraftRow[], id: string): DraftRow[] {
  return rows.filter((r) => r.id !== id);
}

/** Sets (or clears) the cast of a column row; constants have none. */
export function setRowCast(rows: readonly DraftRow[], id: string, cast: Cast | undefined): DraftRow[] {
  return rows.map((r) => {
    if (r.id !== id || r.source.kind !== "column") return r;
    const { cast: _old, ...source } = r.source;
    return { ...r, source: cast ? { ...source, cast } : source };
  });
}

/** Accepts suggestions: each becomes its field's mapping (with the cast it needs), replacing what the field had. */
export function acceptSuggestions(
  rows: readonly DraftRow[],
  suggestions: readonly Pick<MappingSuggestion, "from" | "to" | "cast">[],
): DraftRow[] {
  let next = [...rows];
  for (const s of suggestions) {
    next = setFieldColumn(next, s.to, s.from);
    const row = next.find((r) => r.to === s.to);
    if (row && s.cast) next = setRowCast(next, row.id, s.cast);
  }
  return next;
}

/** Column → the field paths it feeds, for the column list's "→ email" hints. */
export function targetsByColumn(rows: readonly DraftRow[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    if (r.source.kind !== "column" || r.source.column === "") continue;
    const list = out.get(r.source.column) ?? [];
    list.push(r.to);
    out.set(r.source.column, list);
  }
  return out;
}

/** How a dot path nests in the payload: traits.plan → {"traits": {"plan": …}}. */
export function nestedShape(path: string): string {
  return path
    .trim()
    .split(".")
    .reduceRight((inner, segment) => `{"${segment}": ${inner}}`, "…");
}

// ---- issues ----

export interface PlacedIssues {
  /** Issues about one mapping entry, by row id. */
  byRow: Map<string, MappingIssue[]>;
  /** Issues about a field no entry maps (an unmapped required field or identifier), by field name. */
  byField: Map<string, MappingIssue[]>;
  /** Issues about the mapping as a whole (no mapping at all, an unsupported mode). */
  general: MappingIssue[];
}

/**
 * Where each issue is shown: next to its row when it names a spec entry, next to its field when it names one
 * the screen shows (`shownFields`), otherwise above the mapper.
 */
export function placeIssues(
  issues: readonly MappingIssue[],
  specRowIds: readonly string[],
  shownFields: ReadonlySet<string>,
): PlacedIssues {
  const placed: PlacedIssues = { byRow: new Map(), byField: new Map(), general: [] };
  const push = <K>(map: Map<K, MappingIssue[]>, key: K, issue: MappingIssue) => map.set(key, [...(map.get(key) ?? []), issue]);
  for (const issue of issues) {
    const rowId = issue.index === undefined ? undefined : specRowIds[issue.index];
    if (rowId !== undefined) push(placed.byRow, rowId, issue);
    else if (issue.field !== undefined && shownFields.has(issue.field)) push(placed.byField, issue.field, issue);
    else placed.general.push(issue);
  }
  return placed;
}

/** Errors that block saving: the checks' errors plus incomplete rows. */
export function countBlocking(issues: readonly MappingIssue[], problems: readonly DraftProblem[]): number {
  return issues.filter((i) => i.severity === "error").length + problems.length;
}
