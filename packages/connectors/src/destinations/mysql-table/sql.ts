// The MySQL / MariaDB statements of the table destination. Identifiers are always quoted with backticks,
// values always bound parameters (server-side prepared statements), never pasted into the SQL.
//   upsert → INSERT … ON DUPLICATE KEY UPDATE col = VALUES(col)
//   insert → INSERT … ON DUPLICATE KEY UPDATE key = key (a no-op: the existing row is left as is). Not
//            INSERT IGNORE, which also turns NULL-in-NOT-NULL, too-long and invalid values into warnings and
//            writes a coerced value instead of rejecting the row.
//   update → UPDATE … SET … WHERE key = ? (one statement per record; the matched-row count says if it existed)
//   mirror → upsert, and DELETE … WHERE (key) IN (…) for removed rows
// https://dev.mysql.com/doc/refman/8.4/en/insert-on-duplicate.html
// https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/inserting-loading-data/insert-on-duplicate-key-update
import type { PlannedRow } from "../../kit/table/records";
import type { InferredColumn, InferredKind, TableInfo } from "../../kit/table/types";
import { type Statement, type StatementResult, type TableDialect, valuesExcerpt } from "../../kit/table/writer";

/** Prepared statements take at most 65535 placeholders. */
export const MYSQL_MAX_PARAMS = 65_535;
const MAX_ROWS = 5_000;

export const quoteId = (name: string): string => `\`${name.replace(/`/g, "``")}\``;

export interface MysqlTableName {
  database: string;
  table: string;
}

export const qualifiedName = (t: MysqlTableName): string => `${quoteId(t.database)}.${quoteId(t.table)}`;

/** Half the server's max_allowed_packet for a statement's values: the rest is protocol and statement text. */
export function statementBytes(maxAllowedPacket: number): number {
  return Math.max(64 * 1024, Math.min(16 * 1024 * 1024, Math.floor(maxAllowedPacket / 2)));
}

export function mysqlDialect(
  t: MysqlTableName,
  info: TableInfo,
  keyColumns: readonly string[],
  maxBytes: number,
  classify: TableDialect["classify"],
): TableDialect {
  const table = qualifiedName(t);
  const dataType = (column: string) => info.columns.get(column)?.baseType ?? "text";
  const param = (column: string, value: unknown) => toParam(dataType(column), value);
  const placeholders = (width: number) => `(${Array.from({ length: width }, () => "?").join(", ")})`;
  const build = (rows: PlannedRow[], text: (count: number) => string, values: unknown[]): Statement => {
    const shown = Math.min(rows.length, 2);
    const more = rows.length > shown ? ` -- ${rows.length} rows in all` : "";
    return { text: text(rows.length), values, display: `${text(shown)}${more}\n-- values: ${valuesExcerpt(rows)}` };
  };
  const keyMatch = keyColumns.map((k) => `${quoteId(k)} = ?`).join(" AND ");
  const noop = `${quoteId(keyColumns[0] as string)} = ${quoteId(keyColumns[0] as string)}`;

  return {
    maxParams: MYSQL_MAX_PARAMS,
    maxBytes,
    maxRows: { write: MAX_ROWS, update: 1, delete: MAX_ROWS },
    begin: ["START TRANSACTION"],
    commit: "COMMIT",
    rollback: "ROLLBACK",
    savepoint: (name) => `SAVEPOINT ${quoteId(name)}`,
    rollbackTo: (name) => `ROLLBACK TO SAVEPOINT ${quoteId(name)}`,
    release: (name) => `RELEASE SAVEPOINT ${quoteId(name)}`,

    write(rows, action) {
      const columns = (rows[0] as PlannedRow).columns;
      const rest = columns.filter((c) => !keyColumns.includes(c));
      // VALUES(col) reads the value the row would have inserted; MariaDB and MySQL both accept it
      // (MySQL 8.0.20+ prefers a row alias, which MariaDB does not have).
      const update =
        action === "insert" || rest.length === 0 ? noop : rest.map((c) => `${quoteId(c)} = VALUES(${quoteId(c)})`).join(", ");
      const values = rows.flatMap((r) => r.values.map((v, i) => param(columns[i] as string, v)));
      return build(
        rows,
        (count) =>
          `INSERT INTO ${table} (${columns.map(quoteId).join(", ")}) VALUES ${Array.from({ length: count }, () => placeholders(columns.length)).join(", ")} ON DUPLICATE KEY UPDATE ${update}`,
        values,
      );
    },

    update(rows) {
      // One row per statement (maxRows.update = 1): the matched count of a multi-row UPDATE cannot say which rows existed.
      const row = rows[0] as PlannedRow;
      const rest = row.columns.filter((c) => !keyColumns.includes(c));
      const set = rest.length ? rest.map((c) => `${quoteId(c)} = ?`).join(", ") : noop;
      const values = [
        ...rest.map((c) => param(c, row.values[row.columns.indexOf(c)])),
        ...row.key.map((v, i) => param(keyColumns[i] as string, v)),
      ];
      return build(rows, () => `UPDATE ${table} SET ${set} WHERE ${keyMatch}`, values);
    },

    // The connection sets CLIENT_FOUND_ROWS: affectedRows counts matched rows, changed or not.
    matched: (result: StatementResult, rows) => rows.map(() => result.rowCount > 0),

    remove(rows) {
      const values = rows.flatMap((r) => r.key.map((v, i) => param(keyColumns[i] as string, v)));
      const target = keyColumns.length === 1 ? quoteId(keyColumns[0] as string) : `(${keyColumns.map(quoteId).join(", ")})`;
      const list = (count: number) =>
        keyColumns.length === 1
          ? Array.from({ length: count }, () => "?").join(", ")
          : Array.from({ length: count }, () => placeholders(keyColumns.length)).join(", ");
      return build(rows, (count) => `DELETE FROM ${table} WHERE ${target} IN (${list(count)})`, values);
    },

    classify,
  };
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A value as a parameter for a column of `dataType` (information_schema DATA_TYPE). Objects and arrays go as
 * JSON text; booleans as 1/0; date-times (Date objects, ISO strings with a zone) into DATETIME/TIMESTAMP as UTC
 * "YYYY-MM-DD HH:MM:SS.ffffff", the session's time zone being UTC too. Everything else as mysql2 binds it.
 */
export function toParam(dataType: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return utcDateTime(value);
  if (typeof value === "string" && (dataType === "datetime" || dataType === "timestamp") && ISO_DATETIME.test(value)) {
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? value : utcDateTime(at);
  }
  if (typeof value === "object" && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

function utcDateTime(at: Date): string {
  return at.toISOString().replace("T", " ").replace("Z", "");
}

/** MySQL types for createTable's inferred kinds; keys need a bounded type to be indexed. */
const TYPES: Record<InferredKind, string> = {
  boolean: "BOOLEAN",
  integer: "BIGINT",
  number: "DOUBLE",
  date: "DATE",
  timestamp: "DATETIME(6)",
  timestamptz: "DATETIME(6)",
  json: "JSON",
  text: "TEXT",
};

export function createTableSql(t: MysqlTableName, columns: readonly InferredColumn[]): string {
  const defs = columns.map((c) => {
    const type = c.key && (c.kind === "text" || c.kind === "json") ? "VARCHAR(255)" : TYPES[c.kind];
    return `${quoteId(c.name)} ${type}${c.key ? " NOT NULL" : " NULL"}`;
  });
  const keys = columns.filter((c) => c.key).map((c) => quoteId(c.name));
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(t)} (${[...defs, `PRIMARY KEY (${keys.join(", ")})`].join(", ")}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
}

export const FIND_TABLE_SQL =
  "SELECT TABLE_TYPE AS kind FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";

export const COLUMNS_SQL = `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS sqlType, DATA_TYPE AS dataType, IS_NULLABLE AS nullable,
    COLUMN_DEFAULT AS dflt, EXTRA AS extra
  FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`;

export const UNIQUE_KEYS_SQL = `SELECT INDEX_NAME AS indexName, COLUMN_NAME AS columnName
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0
  ORDER BY INDEX_NAME, SEQ_IN_INDEX`;
