// What a table destination knows about its target table, and how `createTable` picks column types from the
// first batch. Shared by postgres-table and mysql-table; each maps the inferred kinds to its own SQL types.
import type { DestinationField, DestinationFieldType } from "../contract";

export interface TableColumn {
  name: string;
  /** The declared type as the database prints it, e.g. `character varying(20)` or `varchar(20)`. */
  sqlType: string;
  /** The type without modifiers (`character varying`), for casts that must not cut values (PostgreSQL). */
  baseType?: string;
  fieldType: DestinationFieldType;
  notNull: boolean;
  /** Filled by the database when absent: a default, an identity or auto_increment. */
  hasDefault: boolean;
  /** Computed by the database; cannot be written. */
  generated: boolean;
}

export interface TableInfo {
  /** Column name → column, in table order. */
  columns: Map<string, TableColumn>;
  /** The column sets of the primary key and every unique index that applies to all rows. */
  uniqueKeys: string[][];
}

/** The unique key (any column order) that covers exactly the key columns, if the table has one. */
export function findUniqueKey(info: TableInfo, keyColumns: readonly string[]): string[] | undefined {
  const wanted = [...keyColumns].sort().join("\0");
  return info.uniqueKeys.find((k) => [...k].sort().join("\0") === wanted);
}

/** The table's columns as the mapper shows them: writable columns, key columns marked as the identifier. */
export function fieldsOf(info: TableInfo, keyColumns: readonly string[]): DestinationField[] {
  return [...info.columns.values()]
    .filter((c) => !c.generated)
    .map((c) => ({
      name: c.name,
      type: c.fieldType,
      required: c.notNull && !c.hasDefault,
      identifier: keyColumns.includes(c.name),
      description: c.sqlType,
    }));
}

/** What createTable infers for a column; each database turns it into a type. */
export type InferredKind = "boolean" | "integer" | "number" | "date" | "timestamp" | "timestamptz" | "json" | "text";

export interface InferredColumn {
  name: string;
  kind: InferredKind;
  key: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * Column kinds from the values of the first batch (README "createTable"): every non-null value of a column must
 * agree, else the column is text. Whole numbers → integer (64-bit), other numbers → number (double), true/false
 * → boolean, "YYYY-MM-DD" → date, ISO date-times → timestamp (with time zone when the values carry an offset or Z),
 * objects and arrays → json, anything else or only nulls → text.
 */
export function inferColumns(
  rows: readonly { columns: readonly string[]; values: readonly unknown[] }[],
  keyColumns: readonly string[],
): InferredColumn[] {
  const seen = new Map<string, Set<InferredKind>>();
  for (const key of keyColumns) seen.set(key, new Set());
  for (const row of rows) {
    row.columns.forEach((name, i) => {
      let kinds = seen.get(name);
      if (!kinds) {
        kinds = new Set();
        seen.set(name, kinds);
      }
      const value = row.values[i];
      if (value !== null && value !== undefined) kinds.add(kindOf(value));
    });
  }
  return [...seen].map(([name, kinds]) => ({ name, kind: unify(kinds), key: keyColumns.includes(name) }));
}

function kindOf(value: unknown): InferredKind {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isSafeInteger(value) ? "integer" : "number";
  if (typeof value === "bigint") return "integer";
  if (value instanceof Date) return "timestamptz";
  if (typeof value === "object") return "json";
  const text = String(value);
  if (DATE.test(text)) return "date";
  if (TIMESTAMPTZ.test(text)) return "timestamptz";
  if (TIMESTAMP.test(text)) return "timestamp";
  return "text";
}

function unify(kinds: Set<InferredKind>): InferredKind {
  if (kinds.size === 0) return "text";
  if (kinds.size === 1) return [...kinds][0] as InferredKind;
  if ([...kinds].every((k) => k === "integer" || k === "number")) return "number";
  if ([...kinds].every((k) => k === "timestamp" || k === "timestamptz")) return "timestamptz";
  return "text";
}

/** Before createTable has run there are no columns to list: only the key columns are known. */
export function keyFieldsOfNewTable(keyColumns: readonly string[]): DestinationField[] {
  return keyColumns.map((name) => ({
    name,
    type: "string",
    required: true,
    identifier: true,
    description: "key column; the table does not exist yet and is created on the first run",
  }));
}
