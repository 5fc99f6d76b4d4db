// From the engine's records to table rows: which columns each record writes, its key values, and the records
// that cannot be written at all (no key value). Shared by postgres-table and mysql-table.
//
// Columns come from `record.data` as the mapping names them. A nested object (a mapping to "traits.plan")
// goes to the column `traits` (as JSON), unless the table has dot-named columns such as `traits.plan`, in
// which case it is spread over them. Key values come from the record's data; when the data lacks a key
// column, from `record.key` under the same name (the model's primary key, e.g. for deletes, which carry
// no data). A record with a key column missing or null is rejected: no row could be matched by it.
import type { DeliveryRecord } from "../delivery";
import type { TableInfo } from "./types";

export interface PlannedRow {
  /** The record's position in the batch. */
  index: number;
  kind: "write" | "delete";
  /** Key column values, in key-column order. */
  key: unknown[];
  /** Columns written (key columns first, then the rest by name); deletes: the key columns. */
  columns: string[];
  values: unknown[];
  /** Rough size of the values in bytes, to keep statements under the server's limits. */
  bytes: number;
}

export interface RecordPlan {
  rows: PlannedRow[];
  /** Record index → why it cannot be written. */
  rejected: Map<number, string>;
  /** Data fields that are not columns of the table (only when the table is known). */
  unknownColumns: string[];
}

export function planRecords(
  records: readonly DeliveryRecord[],
  keyColumns: readonly string[],
  info: TableInfo | undefined,
): RecordPlan {
  const plan: RecordPlan = { rows: [], rejected: new Map(), unknownColumns: [] };
  const unknown = new Set<string>();
  records.forEach((record, index) => {
    const fields = flatten(record.data ?? {}, info, record.op === "delete" ? undefined : unknown);
    const key: unknown[] = [];
    for (const column of keyColumns) {
      const value = fields.has(column) ? fields.get(column) : Object.hasOwn(record.key, column) ? record.key[column] : undefined;
      if (value === undefined) {
        plan.rejected.set(index, missingKeyReason(record, column, keyColumns));
        return;
      }
      if (value === null) {
        plan.rejected.set(index, `key column "${column}" is null; every key column needs a value to match a row`);
        return;
      }
      fields.set(column, value);
      key.push(value);
    }
    const columns =
      record.op === "delete"
        ? [...keyColumns]
        : [...keyColumns, ...[...fields.keys()].filter((c) => !keyColumns.includes(c)).sort()];
    const values = columns.map((c) => fields.get(c));
    plan.rows.push({ index, kind: record.op === "delete" ? "delete" : "write", key, columns, values, bytes: sizeOf(values) });
  });
  plan.unknownColumns = [...unknown].sort();
  return plan;
}

function missingKeyReason(record: DeliveryRecord, column: string, keyColumns: readonly string[]): string {
  const keys = keyColumns.join(", ");
  if (record.op === "delete") {
    return `cannot delete: the record carries no value for key column "${column}" (deletes match on ${keys}; name the model's primary-key columns like the key columns, or map them to the key columns)`;
  }
  return `no value for key column "${column}": map a field to it (rows are matched on ${keys})`;
}

/** Column → value from a record's data; nested objects spread over dot-named columns when the table has them. */
function flatten(data: Record<string, unknown>, info: TableInfo | undefined, unknown: Set<string> | undefined) {
  const out = new Map<string, unknown>();
  const visit = (object: Record<string, unknown>, prefix: string) => {
    for (const [name, value] of Object.entries(object)) {
      if (value === undefined) continue; // absent, not null: an upsert leaves the column as it is
      const path = prefix ? `${prefix}.${name}` : name;
      if (!info || info.columns.has(path)) {
        out.set(path, value);
      } else if (isPlainObject(value) && hasColumnUnder(info, path)) {
        visit(value, path);
      } else {
        unknown?.add(path);
      }
    }
  };
  visit(data, "");
  return out;
}

function hasColumnUnder(info: TableInfo, path: string): boolean {
  for (const name of info.columns.keys()) if (name.startsWith(`${path}.`)) return true;
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function sizeOf(values: readonly unknown[]): number {
  let bytes = 0;
  for (const v of values) {
    if (v === null || v === undefined) bytes += 4;
    else if (typeof v === "string") bytes += Buffer.byteLength(v) + 8;
    else if (typeof v === "object" && !(v instanceof Date)) bytes += Buffer.byteLength(JSON.stringify(v)) + 8;
    else bytes += 16;
  }
  return bytes;
}

/** A key as a string, to spot two records for the same row in one batch. */
export function keyString(key: readonly unknown[]): string {
  return JSON.stringify(key.map((v) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v))));
}
