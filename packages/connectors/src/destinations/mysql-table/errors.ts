// Sorting MySQL / MariaDB failures for the table writer: data (this row is at fault: reject it with the server's
// message), transient (retry: connection lost, lock wait timeout, deadlock) or fatal (the config or the table
// needs fixing; the message says how). Error numbers:
// https://dev.mysql.com/doc/mysql-errors/8.4/en/server-error-reference.html
// https://mariadb.com/docs/server/reference/error-codes/mariadb-error-code-reference
import { findPrivateAddressError } from "../../kit/http";
import type { ClassifiedError } from "../../kit/table/writer";
import type { MysqlTableConfig } from "./config";
import { quoteId } from "./sql";

const DATA_ERRNOS = new Set([
  1048, // ER_BAD_NULL_ERROR: Column cannot be null
  1062, // ER_DUP_ENTRY: a value taken under another unique key
  1138, // ER_INVALID_USE_OF_NULL
  1216, // ER_NO_REFERENCED_ROW
  1217, // ER_ROW_IS_REFERENCED
  1263, // ER_WARN_NULL_TO_NOTNULL
  1264, // ER_WARN_DATA_OUT_OF_RANGE
  1265, // WARN_DATA_TRUNCATED (e.g. not a value of the ENUM)
  1292, // ER_TRUNCATED_WRONG_VALUE (e.g. incorrect datetime value)
  1300, // ER_INVALID_CHARACTER_STRING
  1364, // ER_NO_DEFAULT_FOR_FIELD
  1365, // ER_DIVISION_BY_ZERO
  1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD (e.g. incorrect integer value)
  1367, // ER_ILLEGAL_VALUE_FOR_TYPE
  1406, // ER_DATA_TOO_LONG
  1451, // ER_ROW_IS_REFERENCED_2 (a delete blocked by a foreign key)
  1452, // ER_NO_REFERENCED_ROW_2
  1644, // ER_SIGNAL_EXCEPTION (a trigger's SIGNAL)
  1690, // ER_DATA_OUT_OF_RANGE
  3140, // ER_INVALID_JSON_TEXT (MySQL)
  3819, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
  4025, // ER_CONSTRAINT_FAILED (MariaDB CHECK, including JSON columns' json_valid)
]);
const TRANSIENT_ERRNOS = new Set([
  1040, // too many connections
  1053, // server shutdown in progress
  1158, // network read/write errors
  1159,
  1160,
  1161,
  1203, // user has too many connections
  1205, // lock wait timeout
  1213, // deadlock
  1317, // query interrupted
  1637, // too many active concurrent transactions
  1927, // connection killed (MariaDB)
  1969, // statement timeout (MariaDB max_statement_time)
  2006, // server has gone away
  2013, // lost connection during query
  3024, // execution time exceeded (MySQL)
]);
const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
]);

export function classifyMysqlError(error: unknown, c: MysqlTableConfig): ClassifiedError {
  const refused = findPrivateAddressError(error);
  if (refused) return { kind: "fatal", message: `the database host is not allowed: ${refused.message}` };
  const e = error as { errno?: unknown; code?: unknown; sqlState?: unknown; message?: unknown };
  const message = typeof e.message === "string" ? e.message : String(error);
  const errno = typeof e.errno === "number" ? e.errno : undefined;
  const code = typeof e.code === "string" ? e.code : "";
  const sqlState = typeof e.sqlState === "string" ? e.sqlState : "";
  const table = `${c.database}.${c.table}`;
  const grant = `GRANT SELECT, INSERT, UPDATE, DELETE ON ${quoteId(c.database)}.${quoteId(c.table)} TO '${c.user}'@'%'`;
  if (errno !== undefined && sqlState) {
    // 40001: a deadlock or serialization failure, also when a trigger SIGNALs it.
    if (TRANSIENT_ERRNOS.has(errno) || sqlState === "40001") return { kind: "transient", message: `MySQL: ${message}` };
    if (DATA_ERRNOS.has(errno) || sqlState.startsWith("22") || sqlState.startsWith("23")) return { kind: "data", message };
    switch (errno) {
      case 1045:
      case 1698:
        return {
          kind: "fatal",
          message: `the server refused the login of user "${c.user}" (${message}) — check the user name and password, and that the user may connect from Sluice's address (e.g. '${c.user}'@'%')`,
        };
      case 1044:
      case 1142:
      case 1143:
      case 1227:
        return { kind: "fatal", message: `user "${c.user}" lacks a privilege on ${table} (${message}) — grant it: ${grant}` };
      case 1049:
        return {
          kind: "fatal",
          message: `database "${c.database}" does not exist on ${c.host}:${c.port} — check the database name (SHOW DATABASES lists them)`,
        };
      case 1146:
        return { kind: "fatal", message: `table ${table} does not exist — create it, or turn on "createTable"` };
      case 1054:
        return { kind: "fatal", message: `${message} — add the column to ${table}, or change the sync's mapping` };
      case 1290:
      case 1792:
        return { kind: "fatal", message: `the server only allows reads (${message}) — point the destination at the primary` };
      case 1153:
        return {
          kind: "fatal",
          message: `${message} — raise max_allowed_packet on the server, or lower the destination's batch size`,
        };
    }
    return { kind: "fatal", message: `MySQL refused the statement: ${message}` };
  }
  // No server error number: the driver or the network.
  if (code === "ENOTFOUND")
    return { kind: "fatal", message: `the host "${c.host}" could not be found in DNS — check its spelling` };
  if (code.startsWith("HANDSHAKE_") || /SSL|TLS|certificate/i.test(message)) {
    return {
      kind: "fatal",
      message: `the secure connection to ${c.host}:${c.port} failed (${message}) — check the SSL setting: "disable" for a server without TLS (trusted networks only), "require" to skip certificate checks`,
    };
  }
  if (code === "ECONNREFUSED") {
    return { kind: "transient", message: `nothing accepted a connection at ${c.host}:${c.port} (is the server running?)` };
  }
  if (TRANSIENT_CODES.has(code) || /timeout|closed|connection/i.test(message)) {
    return { kind: "transient", message: `lost the connection to ${c.host}:${c.port} (${code || message})` };
  }
  return { kind: "fatal", message: `MySQL driver error: ${message}` };
}
