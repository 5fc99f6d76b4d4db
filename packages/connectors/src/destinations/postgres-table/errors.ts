// Sorting PostgreSQL failures for the table writer: data (this row is at fault: reject it with the database's
// message), transient (retry: connection lost, timeout, deadlock, serialization) or fatal (the config or the
// table needs fixing; the message says how). SQLSTATE codes:
// https://www.postgresql.org/docs/current/errcodes-appendix.html
import { findPrivateAddressError } from "../../kit/http";
import type { ClassifiedError } from "../../kit/table/writer";
import { explainPostgresError } from "../../warehouses/postgres/explain-error";
import type { PostgresTarget } from "./config";

// 22 data exception, 23 integrity constraint violation, 21 cardinality (a row hit twice by one upsert),
// 09/27/P0/44 raised by triggers, rules or WITH CHECK OPTION on behalf of the row.
const DATA_CLASSES = new Set(["22", "23", "21", "09", "27", "P0", "44"]);
const DATA_CODES = new Set(["54000"]); // e.g. "index row size exceeds maximum": the row's value is too big
// 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 57014 statement timeout/cancel,
// 57P01-57P05 server shutting down or restarting.
const TRANSIENT_CODES = new Set(["40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03", "57P04", "57P05", "55006"]);
const TRANSIENT_CLASSES = new Set(["08", "53", "58", "XX"]);

export interface PostgresTableTarget extends PostgresTarget {
  /** "schema"."table", quoted, for GRANT hints. */
  qualifiedTable: string;
  /** schema.table for messages. */
  tableLabel: string;
}

export function classifyPostgresError(error: unknown, t: PostgresTableTarget): ClassifiedError {
  const refused = findPrivateAddressError(error);
  if (refused) return { kind: "fatal", message: `the database host is not allowed: ${refused.message}` };
  const e = error as { code?: unknown; message?: unknown; detail?: unknown; column?: unknown };
  const message = typeof e.message === "string" ? e.message : String(error);
  const code = typeof e.code === "string" ? e.code : undefined;
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    const cls = code.slice(0, 2);
    if (DATA_CLASSES.has(cls) || DATA_CODES.has(code)) return { kind: "data", message: withDetail(message, e.detail) };
    if (code === "42501") {
      // Row-level security refuses a row, not the table.
      if (/row-level security/i.test(message)) return { kind: "data", message };
      return {
        kind: "fatal",
        message: `user "${t.user}" lacks a privilege on ${t.tableLabel} (${message}) — grant it, e.g. GRANT SELECT, INSERT, UPDATE, DELETE ON ${t.qualifiedTable} TO ${quoteIdent(t.user)}`,
      };
    }
    if (TRANSIENT_CODES.has(code) || TRANSIENT_CLASSES.has(cls)) return { kind: "transient", message: `PostgreSQL: ${message}` };
    switch (code) {
      case "28P01":
      case "28000":
      case "3D000":
        return { kind: "fatal", message: explainPostgresError(error, t) };
      case "3F000":
        return { kind: "fatal", message: `${message} — create the schema, or fix the schema name in the destination's settings` };
      case "42P01":
        return { kind: "fatal", message: `table ${t.tableLabel} does not exist — create it, or turn on "createTable"` };
      case "42703":
        return { kind: "fatal", message: `${message} — add the column to ${t.tableLabel}, or change the sync's mapping` };
      case "42P10":
        return {
          kind: "fatal",
          message: `${message} — the key columns need a primary key or unique index on ${t.tableLabel}`,
        };
      case "25006":
        return {
          kind: "fatal",
          message: `the server only allows reads (${message}) — point the destination at the primary, not a replica`,
        };
    }
    return { kind: "fatal", message: `PostgreSQL refused the statement: ${message}` };
  }
  // No SQLSTATE: the driver or the network.
  if (/self[- ]signed|certificate|does not support SSL|SSL/i.test(message)) {
    return { kind: "fatal", message: explainPostgresError(error, t) };
  }
  const netCode = typeof e.code === "string" ? e.code : "";
  if (netCode === "ENOTFOUND") return { kind: "fatal", message: explainPostgresError(error, t) };
  return { kind: "transient", message: transientMessage(netCode, message, t) };
}

function transientMessage(code: string, message: string, t: PostgresTarget): string {
  if (code === "ECONNREFUSED") return `nothing accepted a connection at ${t.host}:${t.port} (is PostgreSQL running?)`;
  if (/timeout/i.test(message)) return `PostgreSQL at ${t.host}:${t.port} did not answer in time (${message})`;
  return `lost the connection to PostgreSQL at ${t.host}:${t.port} (${code || message})`;
}

/** The message plus PostgreSQL's DETAIL (e.g. "Key (email)=(a@x.io) already exists."), but not a dump of the whole row. */
function withDetail(message: string, detail: unknown): string {
  if (typeof detail !== "string" || !detail || detail.startsWith("Failing row contains")) return message;
  return `${message} (${detail.length > 200 ? `${detail.slice(0, 200)}…` : detail})`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
